using Microsoft.Playwright;

namespace Marcel.Web.Tests;

/// <summary>
/// The shipped command end to end: <c>marcel serve --chat --web</c>, real chromium pages, nc, marcel connect and wscat in
/// one room, on loopback.
/// </summary>
public sealed class BrowserRoomTests
{
    /// <summary>Lines each member of the four-way room says: numbered, so that per-sender order shows, and not ASCII.</summary>
    private const int LinesEach = 3;

    [Fact]
    public async Task Two_pages_nc_and_marcel_connect_talk_in_one_room_every_way()
    {
        string nc = ExternalProgram.Require("nc");
        (PeerProcess server, int tcpPort, Uri page) = await WebServer.StartAsync();
        await using (server)
        await using (Chromium chromium = await Chromium.LaunchAsync())
        {
            IPage alice = await chromium.OpenAsync(page);
            await Assertions.Expect(alice.Locator("#status")).ToHaveTextAsync("Connected.");
            IPage bob = await chromium.OpenAsync(page, width: 360, height: 640); // A phone: the README's picture is his page.
            await Assertions.Expect(bob.Locator("#status")).ToHaveTextAsync("Connected.");
            string port = tcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await using PeerProcess netcat = PeerProcess.Start(nc, ["127.0.0.1", port]);
            await netcat.WaitForOutputAsync("Welcome");
            await using PeerProcess connect = MarcelCli.Start("connect", "127.0.0.1", port);
            await connect.WaitForOutputAsync("Welcome");

            // Everyone takes a name, so that each receiver can tell every sender's lines apart.
            await SayAsync(alice, "/nick Alice");
            await Assertions.Expect(alice.Locator("#log li.server").Last).ToHaveTextAsync("You are now known as Alice.");
            await SayAsync(bob, "/nick Bob");
            await Assertions.Expect(bob.Locator("#log li.server").Last).ToHaveTextAsync("You are now known as Bob.");
            await netcat.WriteLineAsync("/nick Nina");
            await netcat.WaitForOutputAsync("You are now known as Nina.");
            await connect.WriteLineAsync("/nick Marc");
            await connect.WaitForOutputAsync("You are now known as Marc.");

            // Interleaved, without waiting for one another: only each sender's own order is promised.
            for (int i = 1; i <= LinesEach; i++)
            {
                await SayAsync(alice, Line("Alice", i));
                await netcat.WriteLineAsync(Line("Nina", i));
                await SayAsync(bob, Line("Bob", i));
                await connect.WriteLineAsync(Line("Marc", i));
            }

            await ExpectEveryLineOnceInOrderAsync(alice, "Alice", ["Bob", "Nina", "Marc"]);
            await ExpectEveryLineOnceInOrderAsync(bob, "Bob", ["Alice", "Nina", "Marc"]);
            await ExpectEveryLineOnceInOrderAsync(netcat, ["Alice", "Bob", "Marc"]);
            await ExpectEveryLineOnceInOrderAsync(connect, ["Alice", "Bob", "Nina"]);

            await SayAsync(bob, "/who");
            await Assertions.Expect(bob.Locator("#log li.server", new() { HasTextString = "Alice from" })).ToContainTextAsync("(browser)");
            Assert.Equal(2, await bob.Locator("#log li.server", new() { HasTextString = "(browser)" }).CountAsync());
            await Chromium.ScreenshotAsync(bob, "room-360.png"); // docs/browser-room.png is a copy.
        }
    }

    [Fact]
    public async Task A_hostile_line_from_nc_renders_as_text_in_the_page()
    {
        string nc = ExternalProgram.Require("nc");
        (PeerProcess server, int tcpPort, Uri page) = await WebServer.StartAsync();
        await using (server)
        await using (Chromium chromium = await Chromium.LaunchAsync())
        {
            IPage browser = await chromium.OpenAsync(page);
            var dialogs = new List<string>();
            browser.Dialog += (_, d) => dialogs.Add(d.Message);
            await Assertions.Expect(browser.Locator("#status")).ToHaveTextAsync("Connected.");
            await using PeerProcess netcat = PeerProcess.Start(nc, ["127.0.0.1", tcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await netcat.WaitForOutputAsync("Welcome");
            await netcat.WriteLineAsync("<img src=x onerror=alert(1)> \u001b]0;owned\u0007");
            await Assertions.Expect(browser.Locator("#log li.said").Last).ToContainTextAsync("> <img src=x onerror=alert(1)> ␛]0;owned␇");
            Assert.Equal(0, await browser.Locator("#log img").CountAsync());
            Assert.Empty(dialogs);
        }
    }

    [Fact]
    public async Task The_page_says_so_when_the_server_restarts_and_comes_back_by_itself()
    {
        (PeerProcess server, int tcpPort, Uri page) = await WebServer.StartAsync();
        await using Chromium chromium = await Chromium.LaunchAsync();
        IPage browser = await chromium.OpenAsync(page);
        ILocator status = browser.Locator("#status");
        await Assertions.Expect(status).ToHaveTextAsync("Connected.");

        server.Signal(15);
        await Assertions.Expect(browser.Locator("#log li.server").Last).ToHaveTextAsync("The server is shutting down. Goodbye!");
        await Assertions.Expect(status).ToContainTextAsync("Connection lost");
        Assert.Equal(0, await server.WaitForExitAsync());
        await server.DisposeAsync();

        (PeerProcess again, _, _) = await WebServer.StartAsync(page.Port, tcpPort);
        await using (again)
        {
            // The page backs off (1, 2, 4, 8… s) while the server is down: a restart that took a few seconds on a loaded
            // machine finds it waiting for its next try, which can be over Playwright's 5 s default away.
            await Assertions.Expect(status).ToHaveTextAsync("Reconnected to the room.", new() { Timeout = (float)Timeouts.Process.TotalMilliseconds });
            // A new member, welcomed again, under the same page.
            await Assertions.Expect(browser.Locator("#log li.server", new() { HasTextString = "Welcome to Marcel's chat room" })).ToHaveCountAsync(2);
        }
    }

    [Fact]
    public async Task With_lang_fr_the_page_and_the_room_speak_french()
    {
        (PeerProcess server, _, Uri page) = await WebServer.StartAsync(extra: ["--lang", "fr"]);
        await using (server)
        await using (Chromium chromium = await Chromium.LaunchAsync())
        {
            IPage browser = await chromium.OpenAsync(page, locale: "en-US");
            await Assertions.Expect(browser.Locator("html")).ToHaveAttributeAsync("lang", "fr");
            await Assertions.Expect(browser.Locator("#send")).ToHaveTextAsync("Envoyer");
            await Assertions.Expect(browser.Locator("#status")).ToHaveTextAsync("Connecté.");
            await Assertions.Expect(browser.Locator("#log li.server").First).ToContainTextAsync("Bienvenue");
        }
    }

    [Fact]
    public async Task With_tls_the_page_is_served_over_https_with_the_rooms_self_signed_certificate()
    {
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = TestFolders.NewFolder("web-config-") };
        (PeerProcess server, _, Uri page) = await WebServer.StartAsync(environment: environment, extra: ["--tls"]);
        await using (server)
        // Only this test trusts any certificate: the page is self-signed, as `marcel serve --tls` makes it.
        await using (Chromium chromium = await Chromium.LaunchAsync(ignoreCertificateErrors: true))
        {
            Assert.Equal("https", page.Scheme);
            Assert.Contains("SHA-256 fingerprint", server.Output, StringComparison.Ordinal);
            IPage browser = await chromium.OpenAsync(page);
            await Assertions.Expect(browser.Locator("#status")).ToHaveTextAsync("Connected.");
            await SayAsync(browser, "/who");
            await Assertions.Expect(browser.Locator("#log li.server", new() { HasTextString = "(browser)" })).ToHaveCountAsync(1);
        }
    }

    [Fact]
    public async Task Wscat_talks_to_a_tcp_client_and_a_wscat_from_another_origin_is_refused()
    {
        (PeerProcess server, int tcpPort, Uri page) = await WebServer.StartAsync();
        await using (server)
        {
            await using LineClient tcp = await LineClient.ConnectAsync(tcpPort);
            await tcp.ReadLineAsync();
            await using PeerProcess wscat = await Wscat.ConnectAsync(page, "Welcome", $"http://127.0.0.1:{page.Port}");
            await wscat.WriteLineAsync("hello from wscat é");
            string? line;
            do line = await tcp.ReadLineAsync();
            while (line is not null && !line.StartsWith('<'));
            Assert.EndsWith("> hello from wscat é", line, StringComparison.Ordinal);
            await tcp.SendLineAsync("hello wscat");
            await wscat.WaitForOutputAsync("> hello wscat");

            await using PeerProcess intruder = PeerProcess.Start(ExternalProgram.Require("wscat"), ["-c", $"ws://127.0.0.1:{page.Port}/ws", "-o", "http://evil.example"]);
            await intruder.WaitForErrorAsync("403");
            Assert.DoesNotContain("Welcome", intruder.Output, StringComparison.Ordinal);
        }
    }

    private static string Line(string sender, int number) => $"{sender.ToLowerInvariant()} {number}/{LinesEach}: l'été 🎉";

    /// <summary>
    /// Waits (bounded) until the page shows each sender's last line, then checks that every line of each sender is there
    /// once, in the order sent, byte for byte; and that the page shows its own lines as its own.
    /// </summary>
    private static async Task ExpectEveryLineOnceInOrderAsync(IPage page, string self, string[] senders)
    {
        ILocator said = page.Locator("#log li.said:not(.mine)");
        foreach (string sender in senders)
        {
            await Assertions.Expect(said.Filter(new() { HasTextString = $"<{sender}> {Line(sender, LinesEach)}" })).ToHaveCountAsync(1);
        }

        IReadOnlyList<string> shown = await said.AllTextContentsAsync();
        foreach (string sender in senders)
        {
            Assert.Equal(Expected(sender), shown.Where(line => line.StartsWith($"<{sender}> ", StringComparison.Ordinal)));
        }

        Assert.DoesNotContain(shown, line => line.StartsWith($"<{self}> ", StringComparison.Ordinal));
        IReadOnlyList<string> mine = await page.Locator("#log li.mine").AllTextContentsAsync();
        Assert.Equal(Enumerable.Range(1, LinesEach).Select(i => "<you> " + Line(self, i)), mine);
    }

    /// <summary>The same for a line client: its output's lines from each sender, once, in order, intact.</summary>
    private static async Task ExpectEveryLineOnceInOrderAsync(PeerProcess client, string[] senders)
    {
        foreach (string sender in senders)
        {
            await client.WaitForOutputAsync($"<{sender}> {Line(sender, LinesEach)}");
        }

        string[] lines = client.Output.Split('\n');
        foreach (string sender in senders)
        {
            string prefix = $"<{sender}> ";
            Assert.Equal(Expected(sender), lines.Where(line => line.Contains(prefix, StringComparison.Ordinal)).Select(line => line[line.IndexOf(prefix, StringComparison.Ordinal)..].TrimEnd('\r')));
        }
    }

    private static IEnumerable<string> Expected(string sender) => Enumerable.Range(1, LinesEach).Select(i => $"<{sender}> {Line(sender, i)}");

    private static async Task SayAsync(IPage page, string line)
    {
        await page.Locator("#line").FillAsync(line);
        await page.Keyboard.PressAsync("Enter");
    }
}

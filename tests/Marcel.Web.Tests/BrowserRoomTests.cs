using Microsoft.Playwright;

namespace Marcel.Web.Tests;

/// <summary>
/// The shipped command end to end: <c>marcel serve --chat --web</c>, real chromium pages, nc, marcel connect and wscat in
/// one room, on loopback.
/// </summary>
public sealed class BrowserRoomTests
{
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
            await using PeerProcess netcat = PeerProcess.Start(nc, ["127.0.0.1", tcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await netcat.WaitForOutputAsync("Welcome");
            await using PeerProcess connect = MarcelCli.Start("connect", "127.0.0.1", tcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await connect.WaitForOutputAsync("Welcome");

            await SayAsync(alice, "/nick Alice");
            await Assertions.Expect(alice.Locator("#log li.server").Last).ToHaveTextAsync("You are now known as Alice.");
            await netcat.WaitForOutputAsync("is now known as Alice.");

            await SayAsync(alice, "bonjour é 🎉");
            await Assertions.Expect(bob.Locator("#log li.said").Last).ToHaveTextAsync("<Alice> bonjour é 🎉");
            await netcat.WaitForOutputAsync("<Alice> bonjour é 🎉");
            await connect.WaitForOutputAsync("<Alice> bonjour é 🎉");

            await netcat.WriteLineAsync("salut depuis nc");
            await Assertions.Expect(alice.Locator("#log li.said").Last).ToContainTextAsync("> salut depuis nc");
            await Assertions.Expect(bob.Locator("#log li.said").Last).ToContainTextAsync("> salut depuis nc");
            await connect.WriteLineAsync("et depuis marcel connect");
            await Assertions.Expect(alice.Locator("#log li.said").Last).ToContainTextAsync("> et depuis marcel connect");
            await netcat.WaitForOutputAsync("> et depuis marcel connect");

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

    private static async Task SayAsync(IPage page, string line)
    {
        await page.Locator("#line").FillAsync(line);
        await page.Keyboard.PressAsync("Enter");
    }
}

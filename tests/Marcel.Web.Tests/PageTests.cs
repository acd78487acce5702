using Microsoft.Playwright;

namespace Marcel.Web.Tests;

/// <summary>The page in a real chromium, against the host with a stand-in room that echoes each line.</summary>
public sealed class PageTests
{
    [Fact]
    public async Task A_hostile_line_shows_as_text_runs_nothing_and_creates_no_element()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using Chromium chromium = await Chromium.LaunchAsync();
        IPage page = await chromium.OpenAsync(room.Page);
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) => dialogs.Add(dialog.Message);
        await page.EvaluateAsync("() => { window.ran = false; }");

        string hostile = "<img src=x onerror=\"window.ran=true;alert(1)\"><script>window.ran=true</script>\u001b[2J\u0007";
        await page.Locator("#line").FillAsync(hostile);
        await page.Keyboard.PressAsync("Enter");

        ILocator echoed = page.Locator("#log li.server").Last;
        await Assertions.Expect(echoed).ToHaveTextAsync("echo: <img src=x onerror=\"window.ran=true;alert(1)\"><script>window.ran=true</script>␛[2J␇");
        Assert.Equal(0, await page.Locator("#log img, #log script").CountAsync());
        Assert.False(await page.EvaluateAsync<bool>("() => window.ran"));
        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task The_page_reconnects_by_itself_when_the_server_comes_back_and_says_so()
    {
        EchoRoom room = await EchoRoom.StartAsync();
        int port = room.Port;
        await using Chromium chromium = await Chromium.LaunchAsync();
        IPage page = await chromium.OpenAsync(room.Page);
        ILocator status = page.Locator("#status");
        await Assertions.Expect(status).ToHaveTextAsync("Connected.");

        await room.DisposeAsync();
        await Assertions.Expect(status).ToContainTextAsync("Connection lost");
        await Assertions.Expect(page.Locator("#log li.status").First).ToContainTextAsync("Connection lost");

        await using EchoRoom again = await EchoRoom.StartAsync(port: port);
        await Assertions.Expect(status).ToHaveTextAsync("Reconnected to the room.");
        await page.Locator("#line").FillAsync("still here");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#log li.server").Last).ToHaveTextAsync("echo: still here");
    }

    [Fact]
    public async Task New_lines_land_in_a_live_region_that_a_screen_reader_announces()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using Chromium chromium = await Chromium.LaunchAsync();
        IPage page = await chromium.OpenAsync(room.Page);

        // Found by its role, as assistive technology finds it: a log, announced politely as lines are added.
        ILocator conversation = page.GetByRole(AriaRole.Log, new() { Name = "Conversation" });
        await Assertions.Expect(conversation).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(conversation).ToHaveAttributeAsync("aria-relevant", "additions");
        // The connection's state is a status (a live region of its own), and the input names it as its description.
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Connected.");
        await Assertions.Expect(page.Locator("#line")).ToHaveAttributeAsync("aria-describedby", "status");

        await page.Locator("#line").FillAsync("heard é 🎉");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(conversation.Locator("li").Last).ToHaveTextAsync("echo: heard é 🎉");
        await Assertions.Expect(conversation.GetByText("<you> heard é 🎉")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_input_keeps_the_focus_and_enter_sends_and_clears_it()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using Chromium chromium = await Chromium.LaunchAsync();
        IPage page = await chromium.OpenAsync(room.Page, width: 360, height: 640);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Connected.");
        await Assertions.Expect(page.Locator("#line")).ToBeFocusedAsync();

        await page.Keyboard.TypeAsync("typed with the keyboard alone");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#log li.server").Last).ToHaveTextAsync("echo: typed with the keyboard alone");
        await Assertions.Expect(page.Locator("#log li.mine").Last).ToHaveTextAsync("<you> typed with the keyboard alone");
        await Assertions.Expect(page.Locator("#line")).ToHaveValueAsync(string.Empty);
        await Assertions.Expect(page.Locator("#line")).ToBeFocusedAsync();

        // A phone's width: nothing sticks out sideways, the input and the button are on screen.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"));
        LocatorBoundingBoxResult? send = await page.Locator("#send").BoundingBoxAsync();
        Assert.NotNull(send);
        Assert.True(send.X + send.Width <= 360 && send.Y + send.Height <= 640, $"{send.X},{send.Y} {send.Width}x{send.Height}");
        await Chromium.ScreenshotAsync(page, "page-360.png");
    }
}

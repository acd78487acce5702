using Microsoft.Playwright;

namespace Marcel.Web.Tests.Support;

/// <summary>
/// Debian's chromium driven by Playwright (no browser download: its own driver, our <c>/usr/bin/chromium</c>).
/// Missing, the test is skipped on a developer's machine and fails under CI=true (<c>.ci/run</c> installs it).
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Starts a headless chromium; <paramref name="ignoreCertificateErrors"/> only for a test of a self-signed page.</summary>
    public static async Task<Chromium> LaunchAsync(bool ignoreCertificateErrors = false)
    {
        string executable = ExternalProgram.Require("chromium");
        IPlaywright playwright = await Playwright.CreateAsync();
        string[] args =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", .. ignoreCertificateErrors ? new[] { "--ignore-certificate-errors" } : [],
        ];
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Args = args,
                // A browser's first start on a fresh machine (font cache, profile) took over 15 s under CI load: it gets
                // the bound of a whole process, and .ci/run starts chromium once before the tests.
                Timeout = (float)Timeouts.Process.TotalMilliseconds,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh page (its own context: no shared storage) of the given size, speaking <paramref name="locale"/>.</summary>
    public async Task<IPage> OpenAsync(Uri url, int width = 1024, int height = 768, string locale = "en-US")
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            IgnoreHTTPSErrors = false,
        });
        context.SetDefaultTimeout((float)Timeouts.Step.TotalMilliseconds);
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        return page;
    }

    /// <summary>
    /// A screenshot of <paramref name="page"/> as a test artefact: attached to the test's report, and left beside the
    /// tests for a look (<c>screenshots/NAME</c>).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        string file = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        byte[] png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
        TestContext.Current.AddAttachment(name, png, "image/png");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}

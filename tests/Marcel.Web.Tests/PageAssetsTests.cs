using System.Globalization;
using System.Text;

namespace Marcel.Web.Tests;

public sealed class PageAssetsTests
{
    private static readonly PageAssets Assets = new();

    [Fact]
    public void The_page_speaks_english_and_french_from_the_resources()
    {
        string english = Encoding.UTF8.GetString(Assets.Page(CultureInfo.GetCultureInfo("en")));
        string french = Encoding.UTF8.GetString(Assets.Page(CultureInfo.GetCultureInfo("fr-FR")));
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr\">", french, StringComparison.Ordinal);
        Assert.Contains("Send", english, StringComparison.Ordinal);
        Assert.Contains("Envoyer", french, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", french, StringComparison.Ordinal);
    }

    [Fact]
    public void A_language_we_do_not_speak_gets_english() =>
        Assert.Contains("lang=\"en\"", Encoding.UTF8.GetString(Assets.Page(CultureInfo.GetCultureInfo("de-DE"))), StringComparison.Ordinal);

    [Fact]
    public void The_script_and_style_are_embedded() => Assert.True(Assets.Script.Length > 1000 && Assets.Style.Length > 500);

    [Theory]
    [InlineData("fr", "fr-FR,fr;q=0.9,en;q=0.8")]
    [InlineData("en", "de-DE,en;q=0.5,fr;q=0.4")]
    [InlineData("fr", "en;q=0.1,fr-CA;q=0.9")]
    [InlineData(null, "de,es")]
    [InlineData(null, "fr;q=0")]
    public void The_browsers_first_language_we_speak_wins(string? expected, string header)
    {
        var parsed = header.Split(',').Select(part =>
        {
            string[] bits = part.Split(";q=");
            return (bits[0], bits.Length > 1 ? double.Parse(bits[1], CultureInfo.InvariantCulture) : 1.0);
        });
        Assert.Equal(expected, PageAssets.Negotiate(parsed)?.Name);
    }
}

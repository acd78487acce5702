using Marcel.Core.Security;
using Marcel.Tests.Support;

namespace Marcel.Tests.Security;

/// <summary>The announced servers' fingerprints the user confirmed (<c>known_servers</c>), in a folder of the test's own.</summary>
public class KnownServersTests
{
    private const string First = "AB:CD";
    private const string Second = "01:23";

    private readonly KnownServers _known = new(Path.Combine(TestFolders.NewFolder("known-"), "marcel"));

    [Fact]
    public void A_fingerprint_remembered_is_found_again_by_its_name_in_any_case_and_nothing_else_is()
    {
        Assert.Null(_known.Find("Salle 1.2 @ pc12"));
        Assert.True(_known.Remember("Salle 1.2 @ pc12", First));
        Assert.Equal(First, _known.Find("salle 1.2 @ PC12"));
        Assert.Null(_known.Find("Salle 1.2"));
    }

    [Fact]
    public void Remembering_again_replaces_the_earlier_fingerprint_and_keeps_the_other_servers()
    {
        _known.Remember("A @ pc", First);
        _known.Remember("B @ pc", First);
        _known.Remember("A @ pc", Second);
        Assert.Equal(Second, _known.Find("A @ pc"));
        Assert.Equal(First, _known.Find("B @ pc"));
        Assert.Equal(3, File.ReadAllLines(_known.FilePath).Length); // The comment line, then one line per server.
    }

    [Fact]
    public void A_name_holding_a_line_break_is_never_written_so_it_cannot_forge_a_line()
    {
        Assert.False(_known.Remember("Evil\n" + First + " Salle @ pc", First));
        Assert.False(File.Exists(_known.FilePath));
        Assert.Null(_known.Find("Salle @ pc"));
    }
}

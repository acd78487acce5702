using Marcel.Cli.CommandLine;

namespace Marcel.Tests.Cli;

/// <summary><c>marcel connect HOST:PORT</c>: how the host argument is split, and service names as nc takes them.</summary>
public class HostPortTests
{
    [Theory]
    [InlineData("localhost", "localhost", null)]
    [InlineData("localhost:50000", "localhost", "50000")]
    [InlineData("example.org:http", "example.org", "http")]
    [InlineData("[::1]:50000", "::1", "50000")]
    [InlineData("[::1]", "::1", null)]
    [InlineData("::1", "::1", null)]
    [InlineData("fe80::1%eth0", "fe80::1%eth0", null)]
    [InlineData("[::1", "[::1", null)]
    public void Host_argument_is_split_into_host_and_port(string text, string host, string? port)
    {
        Assert.Equal((host, port), HostPort.Split(text));
    }

    [Theory]
    [InlineData("http            80/tcp          www             # WorldWideWeb HTTP", "http", 80)]
    [InlineData("http            80/tcp          www             # WorldWideWeb HTTP", "www", 80)]
    [InlineData("domain\t53/udp", "domain", null)]
    [InlineData("# http 80/tcp", "http", null)]
    [InlineData("ssh 22/tcp", "http", null)]
    public void A_services_file_line_gives_the_tcp_port_of_a_name_or_alias(string line, string name, int? port)
    {
        Assert.Equal(port, ServiceNames.Match(line, name));
    }
}

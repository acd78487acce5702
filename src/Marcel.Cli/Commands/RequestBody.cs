using System.Globalization;
using System.Text;
using Marcel.Cli.Resources;
using Marcel.Core.Fetch;

namespace Marcel.Cli.Commands;

/// <summary>
/// curl's <c>-d</c>/<c>--data</c> and <c>--data-binary</c>: each value is text or <c>@file</c>; several are joined with
/// <c>&amp;</c>. From <c>-d @file</c> carriage returns and newlines are removed (as curl does); <c>--data-binary</c>
/// keeps every byte.
/// </summary>
internal static class RequestBody
{
    public static ReadOnlyMemory<byte>? From(string[]? data, string[]? binary)
    {
        var parts = new List<byte[]>();
        foreach (string value in data ?? [])
        {
            byte[] bytes = Read(value);
            parts.Add(value.StartsWith('@') ? [.. bytes.Where(b => b is not ((byte)'\r' or (byte)'\n'))] : bytes);
        }

        foreach (string value in binary ?? [])
        {
            parts.Add(Read(value));
        }

        if (parts.Count == 0)
        {
            return null;
        }

        using var body = new MemoryStream();
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0) body.WriteByte((byte)'&');
            body.Write(parts[i]);
        }

        return body.ToArray();
    }

    private static byte[] Read(string value)
    {
        if (!value.StartsWith('@'))
        {
            return Encoding.UTF8.GetBytes(value);
        }

        string path = value[1..];
        try
        {
            return path == "-" ? ReadStdin() : File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FetchException(FetchExitCodes.ReadError, string.Format(CultureInfo.CurrentCulture, FetchHelp.DataUnreadable, path), e);
        }
    }

    private static byte[] ReadStdin()
    {
        using var copy = new MemoryStream();
        using Stream stdin = Console.OpenStandardInput();
        stdin.CopyTo(copy);
        return copy.ToArray();
    }
}

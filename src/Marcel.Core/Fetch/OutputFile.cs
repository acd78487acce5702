namespace Marcel.Core.Fetch;

/// <summary>
/// The <c>-o</c> file. By default it appears whole or not at all: bytes go to a hidden temporary file beside the
/// target, renamed over it by <see cref="CommitAsync"/> (a rename within a directory is atomic); disposed without a
/// commit, the temporary file is deleted, so a failed download never leaves a file that looks complete. Two cases
/// write in place instead: a device (<c>/dev/null</c>…), and a resumed download (<c>-C</c>), which must append to the
/// bytes already there; a failure then leaves what arrived, for the next resume to continue from.
/// </summary>
internal sealed class OutputFile : IAsyncDisposable
{
    private readonly string _target;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private bool _committed;

    public OutputFile(string target, bool append)
    {
        _target = Path.GetFullPath(target);
        if (append || IsDevice(_target))
        {
            // A device: a rename would replace the device node with a plain file.
            _temporary = _target;
            _stream = new FileStream(_target, append ? FileMode.Append : FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            _committed = true;
            return;
        }

        string directory = Path.GetDirectoryName(_target) ?? ".";
        _temporary = Path.Combine(directory, $".{Path.GetFileName(_target)}.{Guid.NewGuid():N}.part");
        // No FileStream buffer: the body arrives in large chunks already.
        _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
    }

    /// <summary>Where the bytes go until the commit.</summary>
    public Stream Stream => _stream;

    /// <summary>Flushes and renames the temporary file to the target, replacing any file there.</summary>
    public async Task CommitAsync()
    {
        await _stream.FlushAsync();
        await _stream.DisposeAsync();
        if (_temporary != _target)
        {
            File.Move(_temporary, _target, overwrite: true);
        }

        _committed = true;
    }

    private static bool IsDevice(string path) =>
        path.StartsWith("/dev/", StringComparison.Ordinal) || path.StartsWith("/proc/", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        if (!_committed)
        {
            File.Delete(_temporary);
        }
    }
}

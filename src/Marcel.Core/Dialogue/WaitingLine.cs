namespace Marcel.Core.Dialogue;

/// <summary>
/// The dialogue's line of clients, in order of arrival, and whether the server is taken (a conversation, or the
/// restart question). One lock makes a newcomer's position and the server's next pick agree: position 1 is "next",
/// and a client the server will take at once is told nothing (position 0), whatever the timing.
/// </summary>
internal sealed class WaitingLine<T>(int capacity)
    where T : class
{
    /// <summary><see cref="Join"/>'s answer when the line is closed (the server stops).</summary>
    public const int Closed = -1;

    /// <summary><see cref="Join"/>'s answer when <c>capacity</c> clients already wait.</summary>
    public const int Full = -2;

    private readonly LinkedList<T> _line = new();
    private TaskCompletionSource<T>? _taker;
    private bool _taken;
    private bool _closed;

    /// <summary>Clients waiting now.</summary>
    public int Count
    {
        get { lock (_line) return _line.Count; }
    }

    /// <summary>Puts <paramref name="client"/> in line; returns its position (0: served at once), <see cref="Closed"/> or <see cref="Full"/>.</summary>
    public int Join(T client)
    {
        lock (_line)
        {
            if (_closed)
            {
                return Closed;
            }

            if (_taker is not { } taker)
            {
                if (_line.Count >= capacity)
                {
                    return Full;
                }

                _line.AddLast(client);
                // While the server is free, the first in line is about to be taken: it does not wait.
                return _taken ? _line.Count : _line.Count - 1;
            }

            _taker = null;
            _taken = true;
            taker.TrySetResult(client); // Under the lock, so a taker that gives up sees either a client or none.
            return 0;
        }
    }

    /// <summary>Takes <paramref name="client"/> out of the line (it hung up); false if the server already took it.</summary>
    public bool Leave(T client)
    {
        lock (_line)
        {
            return _line.Remove(client);
        }
    }

    /// <summary>The server is free again (it will take the next at once): a newcomer from now on is not told to wait.</summary>
    public void Free()
    {
        lock (_line)
        {
            _taken = false;
        }
    }

    /// <summary>Frees the server and waits for the first in line; the server is taken from then on.</summary>
    public async Task<T> TakeAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<T> taker;
        lock (_line)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_line.First is { } first)
            {
                _line.RemoveFirst();
                _taken = true;
                return first.Value;
            }

            _taken = false;
            taker = _taker = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        try
        {
            return await taker.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            bool handedOver;
            lock (_line)
            {
                handedOver = _taker != taker;
                if (!handedOver)
                {
                    _taker = null;
                }
            }

            if (handedOver && taker.Task.IsCompletedSuccessfully)
            {
                // A newcomer was handed over as we gave up: it keeps its place, for whoever drains the line.
                lock (_line)
                {
                    _line.AddFirst(taker.Task.Result);
                }
            }

            throw;
        }
    }

    /// <summary>Closes the line: nobody joins any more; returns those who were waiting.</summary>
    public List<T> Close()
    {
        TaskCompletionSource<T>? taker;
        List<T> left;
        lock (_line)
        {
            _closed = true;
            taker = _taker;
            _taker = null;
            left = [.. _line];
            _line.Clear();
        }

        taker?.TrySetCanceled();
        return left;
    }
}

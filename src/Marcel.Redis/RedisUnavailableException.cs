namespace Marcel.Redis;

/// <summary>Redis could not be reached when the node started: the message is one line naming the address and the reason.</summary>
public sealed class RedisUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisUnavailableException()
    {
    }

    /// <summary>Creates the exception with its one-line message.</summary>
    public RedisUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the failure below it.</summary>
    public RedisUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace Marcel.Core.Fetch;

/// <summary>Told how a download advances (the CLI draws a progress bar with it). Called from one task at a time.</summary>
public interface IFetchProgress : IAsyncDisposable
{
    /// <summary>The body starts; <paramref name="total"/> is its announced length, or null when unknown.</summary>
    void Start(long? total);

    /// <summary><paramref name="received"/> bytes of the body have been written so far.</summary>
    void Report(long received);

    /// <summary>The body arrived whole (not called when the download fails or is interrupted).</summary>
    void Complete();
}

namespace Marcel.Core;

/// <summary>The operating systems Marcel is built for, as the platform seams tell them apart.</summary>
public enum OsKind
{
    /// <summary>Linux.</summary>
    Linux,

    /// <summary>macOS.</summary>
    MacOS,

    /// <summary>Windows.</summary>
    Windows,

    /// <summary>Another Unix (FreeBSD…): built by nobody here; the seams give it the portable choice.</summary>
    OtherUnix,
}

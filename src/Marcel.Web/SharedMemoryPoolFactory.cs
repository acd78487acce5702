using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Marcel.Web;

/// <summary>
/// Gives Kestrel the process's shared array pool instead of its own pinned-block pool. Kestrel's pool keeps every
/// 4 KiB block a burst of connections once needed and gives them back only slowly (.NET 10 evicts idle blocks over
/// minutes): after a class of browsers joins at once, about one block per member stays resident, unused, because an
/// idle member holds no buffer (Kestrel reads with zero-byte reads, the room's reader too). The shared array pool
/// keeps a bounded handful per core and is trimmed by the GC, so what a burst leaves behind is small.
/// </summary>
internal sealed class SharedMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    /// <inheritdoc />
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => MemoryPool<byte>.Shared; // Its Dispose does nothing.
}

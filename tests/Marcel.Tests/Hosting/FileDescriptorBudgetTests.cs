using Marcel.Core.Hosting;

namespace Marcel.Tests.Hosting;

public class FileDescriptorBudgetTests
{
    [Fact]
    public void The_soft_limit_is_read_from_proc_self_limits()
    {
        string[] limits =
        [
            "Limit                     Soft Limit           Hard Limit           Units     ",
            "Max processes             63446                63446                processes ",
            "Max open files            256                  524288               files     ",
        ];
        Assert.Equal(256, FileDescriptorBudget.SoftLimit(limits));
    }

    [Fact]
    public void An_unlimited_or_missing_limit_is_no_limit()
    {
        Assert.Null(FileDescriptorBudget.SoftLimit(["Max open files            unlimited            unlimited            files     "]));
        Assert.Null(FileDescriptorBudget.SoftLimit([]));
    }

    [Fact]
    public void This_process_has_room_for_connections()
    {
        Assert.InRange(FileDescriptorBudget.AvailableConnections(), 1, int.MaxValue);
    }
}

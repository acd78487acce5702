using System.IO.Pipelines;
using System.Text;
using Marcel.Core.Framing;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Framing;

public class LineReaderTests
{
    private readonly Pipe _pipe = new();
    private readonly FakeTimeProvider _time = new();

    private LineReader Reader(int max = 64, int flushMs = 150) =>
        new(_pipe.Reader, new LineOptions { MaxLineBytes = max, FlushDelay = TimeSpan.FromMilliseconds(flushMs) }, _time);

    private async Task WriteAsync(string text) => await _pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(text), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Lines_written_together_are_read_one_by_one()
    {
        LineReader reader = Reader();
        await WriteAsync("un\ndeux\r\ntrois\n");
        Assert.Equal("un", (await reader.ReadAsync(TestContext.Current.CancellationToken)).Text);
        Assert.Equal("deux", (await reader.ReadAsync(TestContext.Current.CancellationToken)).Text);
        Assert.Equal("trois", (await reader.ReadAsync(TestContext.Current.CancellationToken)).Text);
    }

    [Fact]
    public async Task Buffered_input_is_reported_until_every_line_is_read_and_again_at_the_end_of_the_stream()
    {
        LineReader reader = Reader();
        Assert.False(reader.HasBufferedInput());
        await WriteAsync("un\ndeux\n");
        Assert.True(reader.HasBufferedInput());
        Assert.True(reader.HasBufferedInput()); // Asking consumes nothing.
        Assert.Equal("un", (await reader.ReadAsync(TestContext.Current.CancellationToken)).Text);
        Assert.True(reader.HasBufferedInput());
        Assert.Equal("deux", (await reader.ReadAsync(TestContext.Current.CancellationToken)).Text);
        Assert.False(reader.HasBufferedInput());

        await _pipe.Writer.CompleteAsync();
        Assert.True(reader.HasBufferedInput());
        Assert.Equal(LineReadKind.EndOfStream, (await reader.ReadAsync(TestContext.Current.CancellationToken)).Kind);
    }

    [Fact]
    public async Task A_chunk_without_newline_becomes_a_message_once_no_more_data_follows()
    {
        LineReader reader = Reader();
        await WriteAsync("bonjour");
        ValueTask<LineReadResult> pending = reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(149));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        LineReadResult result = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(LineReadResult.FromText("bonjour"), result);
    }

    [Fact]
    public async Task More_data_before_the_delay_joins_the_same_message()
    {
        LineReader reader = Reader();
        await WriteAsync("bon");
        ValueTask<LineReadResult> pending = reader.ReadAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WriteAsync("jour\n");
        Assert.Equal("bonjour", (await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Text);
    }

    [Fact]
    public async Task Without_flush_after_terminated_lines_a_line_client_s_half_line_waits_for_its_newline()
    {
        var reader = new LineReader(_pipe.Reader, new LineOptions { FlushDelay = TimeSpan.FromMilliseconds(150), FlushAfterTerminatedLines = false }, _time);
        await WriteAsync("un\nde");
        Assert.Equal("un", (await reader.ReadAsync(TestContext.Current.CancellationToken)).Text);
        ValueTask<LineReadResult> pending = reader.ReadAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(pending.IsCompleted);
        await WriteAsync("ux\n");
        Assert.Equal("deux", (await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Text);
    }

    [Fact]
    public async Task Without_flush_after_terminated_lines_a_peer_that_never_ends_lines_is_still_flushed()
    {
        var reader = new LineReader(_pipe.Reader, new LineOptions { FlushDelay = TimeSpan.FromMilliseconds(150), FlushAfterTerminatedLines = false }, _time);
        await WriteAsync("bonjour");
        ValueTask<LineReadResult> pending = reader.ReadAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal("bonjour", (await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Text);
    }

    [Fact]
    public async Task The_end_of_the_stream_flushes_the_last_chunk_then_reports_the_end()
    {
        LineReader reader = Reader();
        await WriteAsync("Au revoir !");
        await _pipe.Writer.CompleteAsync();
        Assert.Equal("Au revoir !", (await reader.ReadAsync(TestContext.Current.CancellationToken)).Text);
        Assert.Equal(LineReadKind.EndOfStream, (await reader.ReadAsync(TestContext.Current.CancellationToken)).Kind);
    }

    [Fact]
    public async Task A_line_over_the_maximum_is_reported_without_waiting_for_its_end()
    {
        LineReader reader = Reader(max: 8);
        await WriteAsync("0123456789");
        Assert.Equal(LineReadKind.TooLong, (await reader.ReadAsync(TestContext.Current.CancellationToken)).Kind);
    }
}

using System.Diagnostics;
using System.Globalization;
using Marcel.Soak;

// Soak: N well-behaved chat clients talk at a steady rate for a long time while faulty ones reset, stall and spew
// garbage; at the end every well-behaved client must have received every message of every other, in order, and the
// server's memory must not have grown. Prints markdown tables.
SoakSettings settings = SoakSettings.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

(ServerUnderTest server, int port) = await ServerUnderTest.StartAsync(settings);
await using (server)
{
    var clients = Enumerable.Range(1, settings.Clients).Select(i => new WellBehavedClient(i)).ToList();
    foreach (WellBehavedClient client in clients)
    {
        await client.ConnectAsync(port, cancel.Token);
    }

    using var stopFaults = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
    var faults = new List<Task>();
    faults.AddRange(Enumerable.Range(0, settings.Resetters).Select(_ => FaultyClients.ResetterAsync(port, stopFaults.Token)));
    faults.AddRange(Enumerable.Range(0, settings.SlowReaders).Select(_ => FaultyClients.SlowReaderAsync(port, stopFaults.Token)));
    faults.AddRange(Enumerable.Range(0, settings.Garbage).Select(_ => FaultyClients.GarbageAsync(port, stopFaults.Token)));
    await Task.Delay(TimeSpan.FromSeconds(3), cancel.Token); // Joins settle.

    var samples = new List<(TimeSpan At, long RssKiB, int Fds, long ManagedKiB)>();
    var clock = Stopwatch.StartNew();
    DateTime until = DateTime.UtcNow + settings.Duration;
    Task speaking = Task.WhenAll(clients.Select(c => c.SendAsync(settings.Rate, until, cancel.Token)));
    server.RequestStats();
    await Task.Delay(500, cancel.Token);
    samples.Add((clock.Elapsed, server.Sample().RssKiB, server.Sample().Descriptors, server.ManagedKiB));
    while (!speaking.IsCompleted)
    {
        await Task.WhenAny(speaking, Task.Delay(settings.Sample, cancel.Token));
        if (server.HasExited) break;
        server.RequestStats(); // Answered within the next interval: each sample shows the heap as of the previous one.
        (long rss, int fds) = server.Sample();
        samples.Add((clock.Elapsed, rss, fds, server.ManagedKiB));
        Console.Error.WriteLine($"{clock.Elapsed:mm\\:ss} rss={rss / 1024} MiB managed={server.ManagedKiB / 1024} MiB fds={fds} sent={clients.Sum(c => c.Sent)} resets={FaultyClients.Resets}");
    }

    await speaking;
    TimeSpan spoke = clock.Elapsed;
    await stopFaults.CancelAsync();
    await Task.WhenAll(faults);

    // Drain: wait until every well-behaved client has everything, or 30 s.
    long expected = clients.Sum(r => clients.Where(s => s != r).Sum(s => (long)s.Sent));
    var drain = Stopwatch.StartNew();
    while (clients.Sum(c => c.Received) < expected && drain.Elapsed < TimeSpan.FromSeconds(30) && !server.HasExited)
    {
        await Task.Delay(200, cancel.Token);
    }

    long delivered = clients.Sum(c => c.Received);
    long lost = clients.Sum(r => clients.Where(s => s != r).Sum(s => (long)Math.Max(0, s.Sent - r.ReceivedFrom(s.Id))));
    (long endRss, int endFds) = server.HasExited ? (0, 0) : server.Sample();
    foreach (WellBehavedClient client in clients) await client.CloseAsync();
    await Task.Delay(TimeSpan.FromSeconds(3));
    int afterFds = server.HasExited ? 0 : server.Sample().Descriptors;

    Report(settings, spoke, clients, expected, delivered, lost, samples, endRss, endFds, afterFds, server.HasExited);
    return lost == 0 && !server.HasExited && clients.All(c => !c.Dropped && c.OrderViolations == 0) ? 0 : 1;
}

static void Report(SoakSettings s, TimeSpan spoke, List<WellBehavedClient> clients, long expected, long delivered, long lost,
    List<(TimeSpan At, long RssKiB, int Fds, long ManagedKiB)> samples, long endRss, int endFds, int afterFds, bool crashed)
{
    long sent = clients.Sum(c => c.Sent);
    long firstRss = samples.Count > 1 ? samples[1].RssKiB : samples[0].RssKiB; // After the first interval: warmed up.
    long maxRss = samples.Max(x => x.RssKiB);
    // Growth over the second half of the run, in MiB per minute: flat means ~0.
    var half = samples.Where(x => x.At >= spoke / 2).ToList();
    double slope = half.Count >= 2 ? (half[^1].RssKiB - half[0].RssKiB) / 1024.0 / Math.Max(0.01, (half[^1].At - half[0].At).TotalMinutes) : 0;

    Console.WriteLine($"## Soak: {s.Server}, {s.Clients} clients at {s.Rate} msg/s each for {spoke:mm\\:ss}, faults: {s.Resetters} resetters, {s.SlowReaders} slow readers, {s.Garbage} garbage senders");
    Console.WriteLine();
    Console.WriteLine("| server | messages sent | deliveries expected | delivered | lost | out of order | well-behaved dropped | resets injected | garbage bytes | server exited |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
    Console.WriteLine($"| {s.Server} | {sent:N0} | {expected:N0} | {delivered:N0} | {lost:N0} | {clients.Sum(c => c.OrderViolations):N0} | {clients.Count(c => c.Dropped)} | {FaultyClients.Resets:N0} | {FaultyClients.GarbageBytes:N0} | {(crashed ? "yes (crash)" : "no")} |");
    Console.WriteLine();
    Console.WriteLine($"Memory (VmRSS): {firstRss / 1024} MiB after warm-up, {maxRss / 1024} MiB peak, {endRss / 1024} MiB at the end; second-half slope {slope:+0.00;-0.00} MiB/min. Descriptors: {samples[0].Fds} at start, {endFds} at the end with everyone connected, {afterFds} once the well-behaved clients left.");
    Console.WriteLine();
    Console.WriteLine("| t | VmRSS MiB | managed heap MiB (/stats) | descriptors |");
    Console.WriteLine("|---|---|---|---|");
    foreach ((TimeSpan at, long rss, int fds, long managed) in samples)
    {
        Console.WriteLine($"| {at:mm\\:ss} | {rss / 1024.0:F1} | {(managed < 0 ? "-" : (managed / 1024.0).ToString("F1"))} | {fds} |");
    }
}

using System.Net;

namespace Marcel.Core.Discovery;

/// <summary>The responder's side that listens: conflicts, tie-breaks and answers.</summary>
public sealed partial class MdnsResponder
{
    private static readonly TimeSpan ProbeAnswerInterval = TimeSpan.FromMilliseconds(250);

    private Task ReceiveLoopAsync() => MdnsReceiveLoop.RunAsync(_socket, OnMessageAsync, _logger, _stop.Token);

    private async Task OnMessageAsync(DnsMessage message, IPEndPoint from, MdnsInterface via)
    {
        string full = FullName;
        DnsRecord[] mine = UniqueRecords();
        if (message.IsResponse)
        {
            // RFC 6762 §9: a record of our unique name with other data is a conflict; identical data (our own echo, or a proxy) is not.
            // Only responses from port 5353 and from an address of the link get here (§6, §11: MdnsReceiveLoop, MdnsSocket).
            if (message.Answers.Concat(message.Additionals).Any(r => r.Ttl > 0 && r.Type is DnsRecordType.Srv or DnsRecordType.Txt
                    && DnsNames.Same(r.Name, full) && !mine.Any(m => m.SameAs(r))))
            {
                Rename(from);
            }

            return;
        }

        bool announced;
        lock (_gate) announced = _announced;
        if (!announced)
        {
            DnsRecord[] theirs = message.Authorities.Where(r => DnsNames.Same(r.Name, full)).ToArray();
            if (theirs.Length > 0 && Compare(mine, theirs) < 0)
            {
                DiscoveryLog.LostTieBreak(_logger, full, from);
                lock (_gate) _conflict.TrySetResult(false);
            }

            return;
        }

        await AnswerAsync(message, from, via);
    }

    // §8.2: the proposals compared record by record, sorted, by type then data bytes; the greater wins; equal is our own echo.
    private static int Compare(DnsRecord[] ours, DnsRecord[] theirs)
    {
        DnsRecord[] a = [.. ours.OrderBy(r => r.Type).ThenBy(r => r.Data.ToArray(), ByteOrder.Instance)];
        DnsRecord[] b = [.. theirs.OrderBy(r => r.Type).ThenBy(r => r.Data.ToArray(), ByteOrder.Instance)];
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            int order = a[i].Type != b[i].Type ? a[i].Type.CompareTo(b[i].Type) : ByteOrder.Instance.Compare(a[i].Data.ToArray(), b[i].Data.ToArray());
            if (order != 0)
            {
                return order;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private void Rename(IPEndPoint from)
    {
        string old;
        string next;
        bool wasAnnounced;
        lock (_gate)
        {
            old = _candidate;
            _attempt++;
            _candidate = next = MarcelService.NumberedName(_announcement.InstanceName, _attempt);
            wasAnnounced = _announced;
            _announced = false;
            _probeLimit.Conflict(_time.GetUtcNow());
            TaskCompletionSource<bool> signalled = _conflict;
            _conflict = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            signalled.TrySetResult(true);
        }

        DiscoveryLog.Conflict(_logger, old, from, next);
        if (wasAnnounced)
        {
            // §9: back to probing under the new name; the server goes on meanwhile.
            _ = Task.Run(async () =>
            {
                await ProbeAndAnnounceAsync(_stop.Token);
                Renamed?.Invoke(this, InstanceName);
            }, CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private async Task AnswerAsync(DnsMessage query, IPEndPoint from, MdnsInterface via)
    {
        bool legacy = from.Port != MdnsSocket.Port; // §6.7: a plain DNS resolver asking the group directly.
        bool probe = query.Authorities.Count > 0;
        var answers = new List<DnsRecord>();
        var additionals = new List<DnsRecord>();
        foreach (DnsQuestion question in query.Questions)
        {
            List<DnsRecord> found = Answers(question, via, additionals);
            found.RemoveAll(r => query.Answers.Any(known => known.SameAs(r) && known.Ttl >= r.Ttl / 2)); // §7.1 known answers.
            if (found.Count > 0 && MayAnswer(via, question, legacy ? from.Address : null, probe))
            {
                answers.AddRange(found);
            }
        }

        if (answers.Count == 0)
        {
            return;
        }

        additionals.RemoveAll(a => answers.Any(r => r.SameAs(a)));
        var response = new DnsMessage
        {
            Id = legacy ? query.Id : (ushort)0,
            IsResponse = true,
            IsAuthoritative = true,
            Questions = legacy ? query.Questions : [],
            Answers = legacy ? [.. answers.Select(Legacy)] : answers,
            Additionals = legacy ? [.. additionals.DistinctBy(r => (r.Type, r.Name)).Select(Legacy)] : [.. additionals.DistinctBy(r => (r.Type, r.Name, Convert.ToHexString(r.Data.Span)))],
        };
        await _socket.SendAsync(DnsCodec.Write(response), via, legacy ? from : null, _stop.Token);
    }

    // §6.7: legacy answers carry no cache-flush bit and a TTL of at most ten seconds.
    private static DnsRecord Legacy(DnsRecord record) => new(record.Name, record.Type, Math.Min(record.Ttl, 10), record.Data);

    private List<DnsRecord> Answers(DnsQuestion question, MdnsInterface via, List<DnsRecord> additionals)
    {
        bool any = question.Type == DnsRecordType.Any;
        var found = new List<DnsRecord>();
        if (DnsNames.Same(question.Name, TypeName) && (any || question.Type == DnsRecordType.ServicePointer))
        {
            found.Add(DnsRecord.ServicePointer(TypeName, FullName, _announcement.Ttl));
            additionals.AddRange(UniqueRecords());
            additionals.AddRange(AddressRecords(via));
        }
        else if (DnsNames.Same(question.Name, MarcelService.ServicesName) && (any || question.Type == DnsRecordType.ServicePointer))
        {
            found.Add(DnsRecord.ServicePointer(MarcelService.ServicesName, TypeName, _announcement.Ttl));
        }
        else if (DnsNames.Same(question.Name, FullName))
        {
            found.AddRange(UniqueRecords().Where(r => any || r.Type == question.Type));
            additionals.AddRange(AddressRecords(via));
        }
        else if (DnsNames.Same(question.Name, HostTarget) && (any || question.Type == DnsRecordType.A))
        {
            found.AddRange(AddressRecords(via));
        }

        return found;
    }

    // §6: a record goes to the group at most once a second per interface (a probe's defence after 250 ms); floods of
    // queries thus cost at most a few answers a second. Legacy unicast answers are limited per asker the same way.
    private bool MayAnswer(MdnsInterface via, DnsQuestion question, IPAddress? unicast, bool probe)
    {
        DateTimeOffset now = _time.GetUtcNow();
        string name = question.Name.ToUpperInvariant() + (unicast is null ? string.Empty : "@" + unicast);
        var key = (via.Index, name, question.Type);
        lock (_gate)
        {
            if (_lastMulticast.TryGetValue(key, out DateTimeOffset last) && now - last < (probe ? ProbeAnswerInterval : MulticastInterval))
            {
                return false;
            }

            if (_lastMulticast.Count > 1024)
            {
                _lastMulticast.Clear();
            }

            _lastMulticast[key] = now;
            return true;
        }
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
    }
}

using Marcel.Fuzz;
using SharpFuzz;

// Usage: Marcel.Fuzz TARGET            run under afl-fuzz (persistent mode, input on stdin)
//        Marcel.Fuzz TARGET FILE...    replay inputs (a crash from findings/, the corpus) without AFL
Dictionary<string, Action<byte[]>> targets = new(StringComparer.Ordinal)
{
    ["line"] = LineFramingTarget.Run,
    ["chat"] = ChatCommandTarget.Run,
    ["dns"] = DnsCodecTarget.Run,
};

if (args.Length == 0 || !targets.TryGetValue(args[0], out Action<byte[]>? target))
{
    Console.Error.WriteLine($"usage: Marcel.Fuzz {string.Join('|', targets.Keys)} [FILE...]");
    return 2;
}

if (args.Length > 1)
{
    foreach (string file in args.Skip(1))
    {
        target(File.ReadAllBytes(file));
        Console.WriteLine($"ok {file}");
    }

    return 0;
}

Fuzzer.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.ToArray());
});
return 0;

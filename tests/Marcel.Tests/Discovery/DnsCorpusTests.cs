namespace Marcel.Tests.Discovery;

/// <summary>
/// The DNS codec's promises (<see cref="DnsInvariants"/>) on the AFL++ corpus (fuzz/corpus/dns, grown by
/// <c>fuzz/run.sh dns</c>) and on seeded random and mutated packets, so every test run replays what fuzzing found.
/// </summary>
public class DnsCorpusTests
{
    private static string CorpusFolder => Path.Combine(AppContext.BaseDirectory, "corpus", "dns");

    [Fact]
    public void Every_input_of_the_fuzzing_corpus_keeps_the_codecs_promises()
    {
        string[] inputs = Directory.GetFiles(CorpusFolder);
        Assert.NotEmpty(inputs);
        Assert.All(inputs, file => Assert.Null(DnsInvariants.Check(File.ReadAllBytes(file))));
    }

    [Fact]
    public void Random_bytes_and_corpus_inputs_with_bytes_flipped_keep_the_codecs_promises()
    {
        var random = new Random(20261204); // Seeded: a failure replays.
        byte[][] seeds = [.. Directory.GetFiles(CorpusFolder).Select(File.ReadAllBytes)];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] packet;
            if (i % 2 == 0)
            {
                packet = new byte[random.Next(0, 600)];
                random.NextBytes(packet);
            }
            else
            {
                packet = (byte[])seeds[random.Next(seeds.Length)].Clone();
                for (int flips = random.Next(1, 5); flips > 0 && packet.Length > 0; flips--)
                {
                    packet[random.Next(packet.Length)] = (byte)random.Next(256);
                }
            }

            Assert.True(DnsInvariants.Check(packet) is null, $"{DnsInvariants.Check(packet)}: {Convert.ToHexString(packet)}");
        }
    }
}

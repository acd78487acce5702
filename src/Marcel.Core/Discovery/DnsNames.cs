using System.Buffers.Binary;
using System.Text;

namespace Marcel.Core.Discovery;

/// <summary>
/// Domain names on the wire (RFC 1035 §3.1, §4.1.4): labels of 1 to 63 bytes, 255 bytes in all, and compression
/// pointers on reading. A name is held dotted, with a dot or backslash inside a label escaped by a backslash
/// (RFC 6763 §4.3), so an instance label such as <c>Marcel @ pc (2)</c> survives intact.
/// </summary>
internal static class DnsNames
{
    /// <summary>Longest name on the wire, length bytes included (RFC 1035 §2.3.4).</summary>
    public const int MaxWireLength = 255;

    /// <summary>Longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Joins labels into the dotted form, escaping dots and backslashes inside them.</summary>
    public static string Join(IEnumerable<string> labels) =>
        string.Join('.', labels.Select(l => l.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(".", "\\.", StringComparison.Ordinal)));

    /// <summary>Splits a dotted name into its labels, honouring escapes.</summary>
    public static List<string> Split(string name)
    {
        var labels = new List<string>();
        var label = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '\\' && i + 1 < name.Length)
            {
                label.Append(name[++i]);
            }
            else if (c == '.')
            {
                labels.Add(label.ToString());
                label.Clear();
            }
            else
            {
                label.Append(c);
            }
        }

        if (label.Length > 0)
        {
            labels.Add(label.ToString());
        }

        return labels;
    }

    /// <summary>Names compare without regard to ASCII case (RFC 1035 §2.3.3, RFC 6762 §16).</summary>
    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Appends the uncompressed wire form of <paramref name="name"/>; throws when a label or the name is too long.</summary>
    public static void Write(List<byte> output, string name)
    {
        int start = output.Count;
        foreach (string label in Split(name))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(label);
            if (bytes.Length is 0 or > MaxLabelLength)
            {
                throw new ArgumentException($"DNS label of {bytes.Length} bytes in '{name}' (1 to {MaxLabelLength}).", nameof(name));
            }

            output.Add((byte)bytes.Length);
            output.AddRange(bytes);
        }

        output.Add(0);
        if (output.Count - start > MaxWireLength)
        {
            throw new ArgumentException($"DNS name over {MaxWireLength} bytes: '{name}'.", nameof(name));
        }
    }

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="offset"/> of <paramref name="packet"/> and moves the offset
    /// past it. Every pointer must point strictly before the label that holds it, so a loop cannot be built; false on
    /// any malformation (truncation, a reserved label type, a label or name too long, a label not UTF-8).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, ref int offset, out string name)
    {
        name = string.Empty;
        var labels = new List<string>();
        int position = offset;
        int resume = -1;
        int wireLength = 1;
        int limit = position; // A pointer must go below the lowest position seen so far.
        while (true)
        {
            if (position >= packet.Length)
            {
                return false;
            }

            byte length = packet[position];
            if (length == 0)
            {
                position++;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= packet.Length)
                {
                    return false;
                }

                int target = BinaryPrimitives.ReadUInt16BigEndian(packet[position..]) & 0x3FFF;
                if (target >= limit)
                {
                    return false;
                }

                if (resume < 0)
                {
                    resume = position + 2;
                }

                position = limit = target;
                continue;
            }

            if ((length & 0xC0) != 0 || position + 1 + length > packet.Length)
            {
                return false; // 0x40 and 0x80 label types are reserved (RFC 6891 §5).
            }

            wireLength += length + 1;
            if (wireLength > MaxWireLength)
            {
                return false;
            }

            // Names are UTF-8 (RFC 6762 §16): other bytes would decode to U+FFFD, three bytes each, and a label read
            // within 63 bytes could then not be written back (found by fuzzing, fuzz/corpus/dns).
            ReadOnlySpan<byte> label = packet.Slice(position + 1, length);
            if (!System.Text.Unicode.Utf8.IsValid(label))
            {
                return false;
            }

            labels.Add(Encoding.UTF8.GetString(label));
            position += 1 + length;
        }

        offset = resume >= 0 ? resume : position;
        name = Join(labels);
        return true;
    }
}

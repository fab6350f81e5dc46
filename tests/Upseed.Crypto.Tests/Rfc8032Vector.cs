namespace Upseed.Crypto.Tests;

/// <summary>One Ed25519 test vector of RFC 8032 §7.1, read from tests/TestVectors/rfc8032-ed25519.txt.</summary>
public sealed record Rfc8032Vector(string Name, byte[] SecretKey, byte[] PublicKey, byte[] Message, byte[] Signature)
{
    public override string ToString() => $"TEST {Name}";

    /// <summary>
    /// Parses the file: blocks of "FIELD: hex" lines, each block starting at its TEST line; '#' lines are comments.
    /// </summary>
    public static IReadOnlyList<Rfc8032Vector> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestVectors", "rfc8032-ed25519.txt");
        var vectors = new List<Rfc8032Vector>();
        Dictionary<string, string>? fields = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new InvalidDataException($"Not a 'FIELD: value' line: {line}");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name == "TEST")
            {
                Add(vectors, fields);
                fields = [];
            }

            if (fields is null || !fields.TryAdd(name, value))
            {
                throw new InvalidDataException($"Field {name} outside a TEST block or repeated.");
            }
        }

        Add(vectors, fields);
        return vectors;
    }

    private static void Add(List<Rfc8032Vector> vectors, Dictionary<string, string>? fields)
    {
        if (fields is null)
        {
            return;
        }

        vectors.Add(new Rfc8032Vector(
            fields["TEST"],
            Convert.FromHexString(fields["SECRET KEY"]),
            Convert.FromHexString(fields["PUBLIC KEY"]),
            Convert.FromHexString(fields["MESSAGE"]),
            Convert.FromHexString(fields["SIGNATURE"])));
    }
}

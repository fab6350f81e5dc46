using System.Security.Cryptography;
using Upseed.Metainfo;
using Upseed.Sync.Reconciliation;

namespace Upseed.Sync.Tests;

/// <summary>Runs a whole reconciliation between two in-memory sets, as two sessions would, and reports what moved.</summary>
internal static class ReconcileHarness
{
    public static Result Run(SyncItem[] a, SyncItem[] b, ReconcileOptions? options = null, int maxRounds = 200)
    {
        var salt = RandomNumberGenerator.GetBytes(ItemHasher.SaltSize);
        var setA = new SyncItemSet(a, salt);
        var setB = new SyncItemSet(b, salt);
        var initiator = new Reconciler(setA, isInitiator: true, options);
        var responder = new Reconciler(setB, isInitiator: false, options);
        var havesA = new List<int>();
        var havesB = new List<int>();
        long bytes = 0;
        var messages = 0;
        var largest = 0;
        var message = initiator.Initiate().ToArray();
        while (true)
        {
            Count(message);
            var answer = responder.Process(message, havesB);
            var reply = answer.Message.ToArray();
            Count(reply);
            var next = initiator.Process(reply, havesA);
            if (!next.ExpectsReply)
            {
                if (next.HasRequests)
                {
                    var final = next.Message.ToArray();
                    Count(final);
                    var last = responder.Process(final, havesB);
                    Assert.False(last.ExpectsReply);
                    Assert.False(last.HasRequests);
                }

                break;
            }

            message = next.Message.ToArray();
            Assert.True(messages < maxRounds * 2, "reconciliation did not finish");
        }

        return new Result(
            havesA.Distinct().Select(i => setA[i]).ToHashSet(),
            havesB.Distinct().Select(i => setB[i]).ToHashSet(),
            bytes,
            messages,
            largest,
            initiator.Rounds);

        void Count(byte[] m)
        {
            bytes += m.Length;
            messages++;
            largest = Math.Max(largest, m.Length);
        }
    }

    public static SyncItem[] Sorted(IEnumerable<SyncItem> items) => items.Distinct().Order().ToArray();

    public static InfoHash RandomId(Random random)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.Size];
        random.NextBytes(bytes);
        return new InfoHash(bytes);
    }

    /// <summary>Items A sends to B, items B sends to A, bytes in both directions, messages, the largest one, initiator rounds.</summary>
    public sealed record Result(HashSet<SyncItem> SentByA, HashSet<SyncItem> SentByB, long Bytes, int Messages, int Largest, int Rounds);
}

using Upseed.LoRa.Mesh;
using Upseed.Records;

namespace Upseed.LoRa.Tests;

/// <summary>
/// Records cross a simulated LoRa line (THIS IS A SIMULATION: LongFast airtime, EU_868 10% duty cycle, 231-byte
/// payloads) from the first box's store to every other box's store, each checking the signature on arrival.
/// </summary>
public class MeshEndToEndTests
{
    [Fact]
    public void TwoBoxes_PostAndVote_ArriveVerifiedInTheOtherStore()
    {
        using var bed = new MeshTestBed(boxes: 2, loss: 0);
        var alice = bed.Factory(1);
        var post = alice.Post("town", "Road to the lake closed after the storm", LoRaKit.Body280());
        var vote = bed.Factory(2).Vote("town", post.Id, 1);
        Assert.Equal(Store.IngestOutcome.Accepted, bed.Stores[0].Ingest(post.Bytes).Outcome);
        Assert.Equal(OnAirDecision.Allowed, bed.Relays[0].Publish(post, own: true));
        Assert.Equal(OnAirDecision.Allowed, bed.Relays[0].Publish(vote, own: true));

        Assert.True(bed.Simulation.RunUntil(() => bed.Stores[1].Contains(post.Id) && bed.Stores[1].Contains(vote.Id), TimeSpan.FromMinutes(5)));

        Assert.True(bed.Stores[1].TryGetBytes(post.Id, out var bytes));
        Assert.Equal(post.Bytes.ToArray(), bytes);
        Assert.Equal(1, bed.Stores[1].Forum.Thread(post.Id)!.Score);
        Assert.Equal(3, bed.Medium.Statistics.Transmissions); // two frames for the post, one for the vote
    }

    [Fact]
    public void TenBoxesInALine_PostAndVote_ReachTheFarEnd()
    {
        using var bed = new MeshTestBed(boxes: 10, loss: 0);
        var post = bed.Factory(1).Post("town", "Power cut on the east side again", LoRaKit.Body280());
        var vote = bed.Factory(2).Vote("town", post.Id, 1);
        bed.Stores[0].Ingest(post.Bytes);
        bed.Stores[0].Ingest(vote.Bytes);
        bed.Relays[0].Publish(post, own: true);
        bed.Relays[0].Publish(vote, own: true);

        var ok = bed.Simulation.RunUntil(() => bed.Stores.All(s => s.Contains(post.Id) && s.Contains(vote.Id)), TimeSpan.FromMinutes(30));
        Assert.True(ok, string.Join("; ", bed.Stores.Select((s, i) => $"{i}: post {s.Contains(post.Id)} vote {s.Contains(vote.Id)} sent {bed.Relays[i].Statistics.FramesSent} acc {bed.Relays[i].Statistics.RecordsAccepted} ref {bed.Relays[i].Statistics.RecordsRefused} sup {bed.Relays[i].Statistics.Suppressed}")) + $" tx {bed.Medium.Statistics.Transmissions} coll {bed.Medium.Statistics.Collisions}");

        for (var i = 1; i < 10; i++)
        {
            var arrived = bed.Sinks[i].Arrived.Select(r => r.Id).ToHashSet();
            Assert.Contains(post.Id, arrived);
            Assert.Contains(vote.Id, arrived);
            Assert.All(bed.Sinks[i].Arrived, r => Assert.Null(RecordCodec.Authenticate(r, LoRaKit.Work)));
        }

        // Each box sends each record once (the last box's relay goes unanswered and is sent again): 10 × 3 frames.
        var recordFrames = bed.Relays.Sum(r => r.Statistics.FramesSent - r.Statistics.DigestsSent);
        Assert.InRange(recordFrames, 30, 40);
    }

    [Fact]
    public void TenBoxesInALine_TenPercentLoss_RepairsDeliverEverything()
    {
        using var bed = new MeshTestBed(boxes: 10, loss: 0.10, seed: 7);
        var factory = bed.Factory(1);
        var records = new List<SignedRecord>();
        var corpus = LoRaKit.Corpus();
        for (var i = 0; i < 4; i++)
        {
            var post = factory.Post("town", corpus[i].Title, corpus[i].Body);
            records.Add(post);
            records.Add(bed.Factory(2).Vote("town", post.Id, 1));
        }

        foreach (var record in records)
        {
            bed.Relays[0].Publish(record, own: true);
        }

        var delivered = bed.Simulation.RunUntil(() => records.All(r => bed.Stores[9].Contains(r.Id)), TimeSpan.FromHours(2));

        Assert.True(delivered, $"{records.Count(r => bed.Stores[9].Contains(r.Id))} of {records.Count} at the far end; {bed.Medium.Statistics.Lost} lost, {bed.Medium.Statistics.Collisions} collisions");
    }

    [Fact]
    public void Policy_OtherCommunityAndOldRecords_StayOffTheAir()
    {
        var policy = new OnAirPolicy { Communities = new HashSet<string> { "town" } };
        using var bed = new MeshTestBed(boxes: 2, loss: 0, policy: policy);
        var factory = bed.Factory(1);
        var elsewhere = factory.Post("elsewhere", "Not carried", "This community is not on the air.");
        var old = factory.Post("town", "Old news", "Too old for the air.", created: bed.Medium.Clock.GetUtcNow().AddDays(-2).ToUnixTimeSeconds());
        var identity = factory.Identity("alice");

        Assert.Equal(OnAirDecision.CommunityNotCarried, bed.Relays[0].Publish(elsewhere, own: true));
        Assert.Equal(OnAirDecision.TooOld, bed.Relays[0].Publish(old, own: true));
        Assert.Equal(OnAirDecision.KindNotCarried, bed.Relays[0].Publish(identity, own: true));
        bed.Simulation.RunFor(TimeSpan.FromMinutes(1));
        Assert.Equal(0, bed.Medium.Statistics.Transmissions);
    }

    [Fact]
    public void SameRecordOfferedByTwoBoxesInRange_GoesOnAirOnce()
    {
        using var bed = new MeshTestBed(boxes: 2, loss: 0);
        var post = bed.Factory(1).Post("town", "From MQTT", "Both boxes got this post over the Internet.");

        // Neither box wrote it: both offer it as a relay, with random jitter; whoever goes first silences the other.
        bed.Relays[0].Publish(post, own: false);
        bed.Relays[1].Publish(post, own: false);
        bed.Simulation.RunFor(TimeSpan.FromMinutes(2));

        Assert.Equal(1, bed.Medium.Statistics.Transmissions);
        Assert.Equal(1, bed.Relays[0].Statistics.Suppressed + bed.Relays[1].Statistics.Suppressed);
    }

    [Fact]
    public void Digest_ABoxThatMissedARecordAsksForIt()
    {
        using var bed = new MeshTestBed(boxes: 2, loss: 0);
        var post = bed.Factory(1).Post("town", "Before you arrived", "Box 2 was out of range when this went out.");

        // Out of range: everything box 1 sends (the post, its retransmissions) is lost.
        bed.Medium.Connect(1, 2, new Simulation.SimulatedLink(Loss: 1.0));
        bed.Relays[0].Publish(post, own: true);
        bed.Simulation.RunFor(TimeSpan.FromMinutes(5));
        Assert.False(bed.Stores[1].Contains(post.Id));

        // Back in range: box 1's next digest lists the post, box 2 asks for it, box 1 answers.
        bed.Medium.Connect(1, 2, new Simulation.SimulatedLink(Loss: 0));
        Assert.True(bed.Simulation.RunUntil(() => bed.Stores[1].Contains(post.Id), TimeSpan.FromMinutes(40)));
        Assert.True(bed.Relays[1].Statistics.RepairRequestsSent >= 1);
        Assert.True(bed.Relays[0].Statistics.DigestsSent >= 1);
    }
}

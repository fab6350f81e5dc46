using System.Security.Cryptography;
using Upseed.Metainfo;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// The shared state of one fetch: the metainfo once known, the content being assembled, which blocks are missing,
/// requested or received, and which peers failed and why. Peer workers take blocks to request from here; it is the
/// only place that decides a piece is good.
/// </summary>
internal sealed class FetchJob
{
    public const int BlockSize = 16 * 1024;

    private readonly Lock _gate = new();
    private readonly long _maxSize;
    private readonly List<Waker> _wakers = [];
    private readonly List<string> _failures = [];
    private TorrentMetainfo? _metainfo;
    private byte[]? _content;
    private int[] _blockState = []; // 0 missing, 1 requested, 2 received
    private int[] _requesters = [];
    private bool[] _pieceDone = [];
    private int _piecesLeft;

    public FetchJob(InfoHash infoHash, TorrentMetainfo? metainfo, long maxSize)
    {
        InfoHash = infoHash;
        _maxSize = maxSize;
        if (metainfo is not null)
        {
            SetMetainfo(metainfo);
        }
    }

    public InfoHash InfoHash { get; }

    public TaskCompletionSource Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Peers other peers named (PEX, BEP 11), for the fetcher to try. Bounded: the rest is dropped.</summary>
    public System.Threading.Channels.Channel<System.Net.IPEndPoint> PeersDiscovered { get; } =
        System.Threading.Channels.Channel.CreateBounded<System.Net.IPEndPoint>(new System.Threading.Channels.BoundedChannelOptions(MaxDiscoveredPeers)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });

    /// <summary>How many peers named by PEX one fetch will try. BEP 11 sends at most 50 per message.</summary>
    public const int MaxDiscoveredPeers = 50;

    private int _discovered;

    /// <summary>Offers peers learnt by PEX; at most <see cref="MaxDiscoveredPeers"/> over the whole fetch.</summary>
    public void Discover(IEnumerable<System.Net.IPEndPoint> peers)
    {
        foreach (var peer in peers)
        {
            if (peer.Port == 0 || Interlocked.Increment(ref _discovered) > MaxDiscoveredPeers)
            {
                return;
            }

            PeersDiscovered.Writer.TryWrite(peer);
        }
    }

    public TorrentMetainfo? Metainfo
    {
        get
        {
            lock (_gate)
            {
                return _metainfo;
            }
        }
    }

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_gate)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>
    /// What changed for every worker (metadata adopted, blocks returned, a piece failed, the job done) is signalled
    /// through the waker each one registers here. Disposing it unregisters it, so a worker that has left is never
    /// woken (a disposed semaphore throws on release, which would kill the worker that released it).
    /// </summary>
    public Waker RegisterWaker()
    {
        var waker = new Waker(this);
        lock (_gate)
        {
            _wakers.Add(waker);
        }

        return waker;
    }

    public void Fail(string peer, string reason)
    {
        lock (_gate)
        {
            _failures.Add($"{peer}: {reason}");
        }
    }

    /// <summary>Checks fetched metadata against the info-hash and adopts it. False when it does not match.</summary>
    public bool TryAdoptMetadata(ReadOnlyMemory<byte> info, out string? error)
    {
        Span<byte> hash = stackalloc byte[InfoHash.Size];
        SHA1.HashData(info.Span, hash);
        if (new InfoHash(hash) != InfoHash)
        {
            error = "metadata does not hash to the info-hash";
            return false;
        }

        TorrentMetainfo metainfo;
        try
        {
            metainfo = TorrentMetainfo.FromInfo(info);
        }
        catch (InvalidDataException ex)
        {
            error = ex.Message;
            return false;
        }

        if (metainfo.TotalLength > _maxSize)
        {
            error = $"the torrent is {metainfo.TotalLength} bytes, over the fetch limit of {_maxSize}";
            Completed.TrySetException(new InvalidDataException($"Torrent {InfoHash} is {metainfo.TotalLength} bytes, over the fetch limit of {_maxSize}."));
            return false;
        }

        lock (_gate)
        {
            if (_metainfo is null)
            {
                SetMetainfo(metainfo);
            }
        }

        WakeAll();
        error = null;
        return true;
    }

    /// <summary>Blocks this peer should request next: missing ones first, then (end game) ones others have in flight.</summary>
    public List<(int Piece, int Begin, int Length)> TakeBlocks(Func<int, bool> peerHas, int count, ISet<(int Piece, int Begin)> alreadyMine)
    {
        var taken = new List<(int, int, int)>();
        var takenNow = new HashSet<int>();
        lock (_gate)
        {
            if (_metainfo is null || count <= 0)
            {
                return taken;
            }

            for (var pass = 0; pass < 2 && taken.Count < count; pass++)
            {
                for (var block = 0; block < _blockState.Length && taken.Count < count; block++)
                {
                    // The end-game pass asks again for blocks other peers have in flight, never for one this call
                    // has just taken.
                    var state = _blockState[block];
                    if (state == 2 || (pass == 0 && state != 0) || takenNow.Contains(block))
                    {
                        continue;
                    }

                    var (piece, begin, length) = Locate(block);
                    if (!peerHas(piece) || alreadyMine.Contains((piece, begin)))
                    {
                        continue;
                    }

                    _blockState[block] = 1;
                    _requesters[block]++;
                    takenNow.Add(block);
                    taken.Add((piece, begin, length));
                }
            }
        }

        return taken;
    }

    /// <summary>A peer gave up its requests (choked, failed): blocks nobody else asked for become missing again.</summary>
    public void Return(IEnumerable<(int Piece, int Begin)> blocks)
    {
        lock (_gate)
        {
            foreach (var (piece, begin) in blocks)
            {
                var block = BlockIndex(piece, begin);
                if (block >= 0 && _blockState[block] == 1 && --_requesters[block] <= 0)
                {
                    _requesters[block] = 0;
                    _blockState[block] = 0;
                }
            }
        }

        WakeAll();
    }

    /// <summary>
    /// Stores a received block. <see cref="BlockOutcome.WrongLength"/> and <see cref="BlockOutcome.PieceFailed"/> mean
    /// the peer lied: a block of another size than the one requested, or a finished piece that fails its hash.
    /// </summary>
    public BlockOutcome Receive(int piece, int begin, ReadOnlySpan<byte> data)
    {
        var pieceFailed = false;
        var complete = false;
        lock (_gate)
        {
            var block = BlockIndex(piece, begin);
            if (_metainfo is null || block < 0)
            {
                return BlockOutcome.Duplicate; // not a block of this torrent: only requested blocks reach here
            }

            // Checked first: a block longer than the one requested would run past the piece (or the content's end).
            if (data.Length != Locate(block).Length)
            {
                return BlockOutcome.WrongLength;
            }

            if (_blockState[block] == 2 || _pieceDone[piece])
            {
                return BlockOutcome.Duplicate; // from the end game
            }

            var start = SeedableTorrent.PieceStart(_metainfo, piece) + begin;
            data.CopyTo(_content.AsSpan(start));
            _blockState[block] = 2;
            _requesters[block] = 0;
            var (first, last) = BlocksOf(piece);
            var allHere = true;
            for (var b = first; b <= last; b++)
            {
                allHere &= _blockState[b] == 2;
            }

            if (allHere)
            {
                var pieceStart = SeedableTorrent.PieceStart(_metainfo, piece);
                var pieceData = _content.AsSpan(pieceStart, SeedableTorrent.PieceSize(_metainfo, piece));
                if (SeedableTorrent.PieceMatches(_metainfo, piece, pieceData))
                {
                    _pieceDone[piece] = true;
                    complete = --_piecesLeft == 0;
                }
                else
                {
                    for (var b = first; b <= last; b++)
                    {
                        _blockState[b] = 0;
                        _requesters[b] = 0;
                    }

                    pieceFailed = true;
                }
            }
        }

        if (complete)
        {
            Completed.TrySetResult();
            WakeAll();
        }
        else if (pieceFailed)
        {
            WakeAll();
        }

        return pieceFailed ? BlockOutcome.PieceFailed : BlockOutcome.Stored;
    }

    public bool NeedsPieceFrom(Func<int, bool> peerHas)
    {
        lock (_gate)
        {
            if (_metainfo is null)
            {
                return false;
            }

            for (var piece = 0; piece < _pieceDone.Length; piece++)
            {
                if (!_pieceDone[piece] && peerHas(piece))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public SeedableTorrent Result()
    {
        lock (_gate)
        {
            return SeedableTorrent.FromVerified(_metainfo!, _content!);
        }
    }

    private void SetMetainfo(TorrentMetainfo metainfo)
    {
        if (metainfo.TotalLength > _maxSize)
        {
            throw new InvalidDataException($"Torrent {InfoHash} is {metainfo.TotalLength} bytes, over the fetch limit of {_maxSize}.");
        }

        _metainfo = metainfo;
        _content = new byte[metainfo.TotalLength];
        var blocks = 0;
        for (var piece = 0; piece < metainfo.PieceCount; piece++)
        {
            blocks += (SeedableTorrent.PieceSize(metainfo, piece) + BlockSize - 1) / BlockSize;
        }

        _blockState = new int[blocks];
        _requesters = new int[blocks];
        _pieceDone = new bool[metainfo.PieceCount];
        _piecesLeft = metainfo.PieceCount;
        if (_piecesLeft == 0)
        {
            Completed.TrySetResult();
        }
    }

    private int BlocksPerFullPiece => (_metainfo!.PieceLength + BlockSize - 1) / BlockSize;

    private (int First, int Last) BlocksOf(int piece)
    {
        var first = piece * BlocksPerFullPiece;
        var count = (SeedableTorrent.PieceSize(_metainfo!, piece) + BlockSize - 1) / BlockSize;
        return (first, first + count - 1);
    }

    private (int Piece, int Begin, int Length) Locate(int block)
    {
        var piece = block / BlocksPerFullPiece;
        var begin = (block % BlocksPerFullPiece) * BlockSize;
        var length = Math.Min(BlockSize, SeedableTorrent.PieceSize(_metainfo!, piece) - begin);
        return (piece, begin, length);
    }

    private int BlockIndex(int piece, int begin)
    {
        if (_metainfo is null || piece < 0 || piece >= _metainfo.PieceCount || begin < 0 || begin % BlockSize != 0
            || begin >= SeedableTorrent.PieceSize(_metainfo, piece))
        {
            return -1;
        }

        return (piece * BlocksPerFullPiece) + (begin / BlockSize);
    }

    private void WakeAll()
    {
        lock (_gate)
        {
            foreach (var waker in _wakers)
            {
                waker.Wake();
            }
        }
    }

    private void Unregister(Waker waker)
    {
        lock (_gate)
        {
            _wakers.Remove(waker);
        }
    }

    /// <summary>What <see cref="Receive"/> made of a block.</summary>
    public enum BlockOutcome
    {
        /// <summary>Stored (and its piece, if now complete, passed its hash).</summary>
        Stored,

        /// <summary>Already had it (the end game asks several peers for the last blocks).</summary>
        Duplicate,

        /// <summary>The block is not the length requested.</summary>
        WrongLength,

        /// <summary>The block completed its piece and the piece failed its hash; the piece is requested again.</summary>
        PieceFailed,
    }

    /// <summary>One worker's wake-up signal; dispose it when the worker leaves.</summary>
    public sealed class Waker : IDisposable
    {
        private readonly FetchJob _job;
        private readonly SemaphoreSlim _signal = new(0);

        internal Waker(FetchJob job)
        {
            _job = job;
        }

        public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);

        public void Dispose()
        {
            _job.Unregister(this);
            _signal.Dispose();
        }

        // Called under the job's lock, so two wakes never both see zero: the count stays at most one.
        internal void Wake()
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
    }
}

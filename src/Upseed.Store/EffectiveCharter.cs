using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>
/// The charter this box honours for a community: its rules, its moderators (whose labels count here), and its
/// proof-of-work difficulty for posts. Which founder's charter counts: the one named by the setting
/// <c>charter.&lt;community&gt;</c> (a founder key), else the newest charter by a member or followed founder, else the
/// only founder's when exactly one has written a charter; otherwise none (a stranger cannot take a community over).
/// </summary>
public sealed record EffectiveCharter(
    string Community,
    InfoHash Id,
    ReadOnlyMemory<byte> Founder,
    string? Title,
    string Rules,
    IReadOnlyList<ReadOnlyMemory<byte>> Moderators,
    int? PostDifficulty);

namespace Upseed.Records;

/// <summary>What validation needs from its surroundings: the clock and the proof of work required here.</summary>
public sealed record RecordValidationOptions
{
    /// <summary>Proof-of-work difficulty (leading zero bits) for identities. Defaults to 20: about a second on a Raspberry Pi 4.</summary>
    public const int DefaultIdentityDifficulty = 20;

    /// <summary>Proof-of-work difficulty for posts and comments. Defaults to 18: a quarter of the identity cost.</summary>
    public const int DefaultPostDifficulty = 18;

    /// <summary>The clock that "not in the future" is checked against. Defaults to the system clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How far ahead of <see cref="Clock"/> a record may be dated. Defaults to 10 minutes.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = RecordLimits.MaxFutureSkew;

    /// <summary>
    /// Required difficulty for a kind in a community (null community for identities). Defaults to
    /// <see cref="DefaultIdentityDifficulty"/> for identities, <see cref="DefaultPostDifficulty"/> for posts, 0 otherwise.
    /// </summary>
    public Func<RecordKind, string?, int> RequiredWork { get; init; } = DefaultRequiredWork;

    public static RecordValidationOptions Default { get; } = new();

    public static int DefaultRequiredWork(RecordKind kind, string? community) => kind switch
    {
        RecordKind.Identity => DefaultIdentityDifficulty,
        RecordKind.Post => DefaultPostDifficulty,
        _ => 0,
    };
}

namespace Upseed.Cli;

/// <summary>The CLI's exit codes (the contract acceptance checks rely on).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something failed that is not the user's input: a missing record, an I/O error.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown option, missing argument, conflicting options.</summary>
    public const int Usage = 2;

    /// <summary>A record was refused; the reason is on stderr.</summary>
    public const int Rejected = 3;
}

namespace Upseed.Cli;

/// <summary>Ends a command with an exit code and a message for stderr.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CliException()
        : this(ExitCodes.Failure, "The command failed.")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Failure, message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.Failure;

    public int ExitCode { get; }

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}

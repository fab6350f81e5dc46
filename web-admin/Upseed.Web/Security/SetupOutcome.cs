namespace Upseed.Web;

/// <summary>What became of a first-run setup attempt.</summary>
public enum SetupOutcome
{
    Done,
    AlreadySetUp,
    WrongCode,
    WeakPassword,
}

using Upseed.Store;

namespace Upseed.MeshText;

/// <summary>A parsed text command.</summary>
public abstract record MeshTextCommand;

/// <summary><c>help</c> (or <c>?</c>, or an empty message).</summary>
public sealed record HelpCommand : MeshTextCommand;

/// <summary><c>top [COMMUNITY] [PERIOD]</c>, <c>hot [COMMUNITY]</c>, <c>new [COMMUNITY]</c>.</summary>
public sealed record ListCommand(ListingSort Sort, string? Community, TopPeriod? Period) : MeshTextCommand;

/// <summary><c>show N</c> / <c>read N</c> (a number from the last listing) or <c>read ID</c> (6+ hex characters of a record id).</summary>
public sealed record ShowCommand(int? Index, string? IdPrefix) : MeshTextCommand;

/// <summary><c>post COMMUNITY TEXT</c>: the first line is the title, the rest the body.</summary>
public sealed record PostCommand(string Community, string Text) : MeshTextCommand;

/// <summary>Something that is not a command, with a short sentence saying so.</summary>
public sealed record InvalidCommand(string Reason) : MeshTextCommand;

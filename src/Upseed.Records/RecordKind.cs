namespace Upseed.Records;

/// <summary>The kinds of record (DESIGN.md, "Records"). The numeric values are stored; never renumber.</summary>
public enum RecordKind
{
    Identity = 1,
    Post = 2,
    Vote = 3,
    Retract = 4,
    Label = 5,
    Charter = 6,
}

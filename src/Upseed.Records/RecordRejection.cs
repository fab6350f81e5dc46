using System.Text;

namespace Upseed.Records;

/// <summary>A refusal: a stable reason code and a sentence for people.</summary>
public sealed record RecordRejection(RejectReason Reason, string Message)
{
    /// <summary>The reason as a kebab-case code, e.g. <c>bad-signature</c>, for logs, JSON and the admin.</summary>
    public string Code => ToCode(Reason);

    public override string ToString() => $"{Code}: {Message}";

    public static string ToCode(RejectReason reason)
    {
        var name = reason.ToString();
        var code = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                code.Append('-');
            }

            code.Append(char.ToLowerInvariant(name[i]));
        }

        return code.ToString();
    }
}

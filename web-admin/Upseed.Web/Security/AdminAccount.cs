using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// The box's admin password (a PBKDF2 hash in the store's settings) and the one-time setup code. Until a password is
/// set, the box makes a random setup code when it starts and writes it to its log; setting the first password needs
/// that code, so whoever reaches the page first on the network cannot take the box over without the log.
/// </summary>
public sealed partial class AdminAccount
{
    /// <summary>Setting holding the admin password hash (<see cref="PasswordHash"/> format).</summary>
    public const string PasswordSetting = "web.admin.password";

    /// <summary>Shortest admin password accepted (NIST SP 800-63B's minimum for chosen secrets).</summary>
    public const int MinimumPasswordLength = 8;

    // Crockford-like alphabet without look-alikes (0/O, 1/I/L): the code is read from a log and typed on a phone.
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private readonly RecordStore _store;
    private readonly WebOptions _options;
    private readonly ILogger<AdminAccount> _logger;
    private readonly Lock _gate = new();
    private string? _setupCode;

    public AdminAccount(RecordStore store, WebOptions options, ILogger<AdminAccount> logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
    }

    public bool IsSetUp => !string.IsNullOrEmpty(_store.GetSetting(PasswordSetting));

    /// <summary>
    /// Makes (once per process) and logs the setup code when no password is set yet. 10 characters from 31 symbols:
    /// about 50 bits, against a login rate limit of a few attempts a minute.
    /// </summary>
    public void AnnounceSetupCodeIfNeeded()
    {
        if (IsSetUp)
        {
            return;
        }

        lock (_gate)
        {
            if (_setupCode is null)
            {
                var code = new StringBuilder(11);
                for (var i = 0; i < 10; i++)
                {
                    if (i == 5)
                    {
                        code.Append('-');
                    }

                    code.Append(CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)]);
                }

                _setupCode = code.ToString();
            }

            LogSetupCode(_logger, _setupCode);
        }
    }

    /// <summary>Sets the first admin password. Refused when a password exists, or the code is wrong.</summary>
    public SetupOutcome TrySetUp(string? code, string? password)
    {
        lock (_gate)
        {
            if (IsSetUp)
            {
                return SetupOutcome.AlreadySetUp;
            }

            if (_setupCode is null || code is null || !FixedTimeEquals(Normalize(code), Normalize(_setupCode)))
            {
                return SetupOutcome.WrongCode;
            }

            if (password is null || password.Length < MinimumPasswordLength)
            {
                return SetupOutcome.WeakPassword;
            }

            _store.SetSetting(PasswordSetting, PasswordHash.Hash(password, _options.Pbkdf2Iterations));
            _setupCode = null;
            LogSetUp(_logger);
            return SetupOutcome.Done;
        }
    }

    public bool CheckPassword(string? password)
    {
        var stored = _store.GetSetting(PasswordSetting);
        return stored is not null && password is not null && PasswordHash.Verify(password, stored);
    }

    /// <summary>Changes the password of an admin who knows the current one.</summary>
    public bool TryChangePassword(string? current, string? next)
    {
        if (next is null || next.Length < MinimumPasswordLength || !CheckPassword(current))
        {
            return false;
        }

        _store.SetSetting(PasswordSetting, PasswordHash.Hash(next, _options.Pbkdf2Iterations));
        return true;
    }

    private static string Normalize(string code) => code.Trim().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web admin first-run setup code: {Code} (open /admin/setup on the box's address and enter it with a new admin password)")]
    private static partial void LogSetupCode(ILogger logger, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web admin password set; the setup code is spent")]
    private static partial void LogSetUp(ILogger logger);
}

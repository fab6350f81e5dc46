using System.Collections.Concurrent;
using System.Security.Cryptography;
using Upseed.Crypto;

namespace Upseed.Web;

/// <summary>
/// Server-side sessions, in memory: a cookie carries only a random 256-bit token. An admin session says "this browser
/// logged in as the admin"; a member session holds the member's unlocked key, so posting and voting can sign without
/// the passphrase again. A restart logs everyone out (and forgets every unlocked key), which is what a box should do.
/// </summary>
internal sealed class SessionStore
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly WebOptions _options;

    public SessionStore(WebOptions options) => _options = options;

    public int Count => _sessions.Count;

    public string StartAdmin() => Add(new Session(SessionKind.Admin, null, null, Now()));

    public string StartMember(Ed25519KeyPair key, string? name) => Add(new Session(SessionKind.Member, key, name, Now()));

    /// <summary>The live session of a token and kind; touching it extends it. Expired sessions are removed.</summary>
    public Session? Find(string? token, SessionKind kind)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !_sessions.TryGetValue(token, out var session) || session.Kind != kind)
        {
            return null;
        }

        var now = Now();
        var idle = kind == SessionKind.Admin ? _options.AdminIdleTimeout : _options.MemberIdleTimeout;
        if (now - session.LastSeen > idle)
        {
            _sessions.TryRemove(token, out _);
            return null;
        }

        session.LastSeen = now;
        return session;
    }

    public void End(string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            _sessions.TryRemove(token, out _);
        }
    }

    /// <summary>Ends every member session of one identity (its key file was removed).</summary>
    public void EndMember(string publicKeyHex)
    {
        foreach (var (token, session) in _sessions)
        {
            if (session.Key?.PublicKeyHex == publicKeyHex)
            {
                _sessions.TryRemove(token, out _);
            }
        }
    }

    public int CountOf(SessionKind kind)
    {
        var now = Now();
        return _sessions.Values.Count(s => s.Kind == kind
            && now - s.LastSeen <= (kind == SessionKind.Admin ? _options.AdminIdleTimeout : _options.MemberIdleTimeout));
    }

    private string Add(Session session)
    {
        Sweep();
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        _sessions[token] = session;
        return token;
    }

    private void Sweep()
    {
        var now = Now();
        foreach (var (token, session) in _sessions)
        {
            var idle = session.Kind == SessionKind.Admin ? _options.AdminIdleTimeout : _options.MemberIdleTimeout;
            if (now - session.LastSeen > idle)
            {
                _sessions.TryRemove(token, out _);
            }
        }
    }

    private DateTimeOffset Now() => _options.Clock.GetUtcNow();

    internal static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal enum SessionKind
{
    Admin,
    Member,
}

internal sealed class Session(SessionKind kind, Ed25519KeyPair? key, string? name, DateTimeOffset started)
{
    public SessionKind Kind { get; } = kind;

    /// <summary>The member's unlocked key (member sessions only).</summary>
    public Ed25519KeyPair? Key { get; } = key;

    public string? Name { get; } = name;

    public DateTimeOffset Started { get; } = started;

    public DateTimeOffset LastSeen { get; set; } = started;
}

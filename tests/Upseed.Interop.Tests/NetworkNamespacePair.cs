using System.Globalization;
using System.Security.Cryptography;

namespace Upseed.Interop.Tests;

/// <summary>
/// Two network namespaces made by the test (Linux, root) joined by a veth pair on a private /24, so two programs see
/// each other at different, non-loopback addresses. Transmission needs this: it treats 127.0.0.0/8 as "martian"
/// and does not connect to a peer that shares its own address. Nothing inside reaches any other network; both
/// namespaces (and with them the veth pair) are deleted on dispose.
/// </summary>
internal sealed class NetworkNamespacePair : IAsyncDisposable
{
    private const string Ip = "/usr/sbin/ip";

    private NetworkNamespacePair(string first, string second, string subnet)
    {
        First = first;
        Second = second;
        FirstAddress = subnet + ".1";
        SecondAddress = subnet + ".2";
    }

    public string First { get; }

    public string Second { get; }

    public string FirstAddress { get; }

    public string SecondAddress { get; }

    public static async Task<NetworkNamespacePair> CreateAsync()
    {
        if (!File.Exists(Ip))
        {
            throw new FileNotFoundException("ip is missing: install the Debian package iproute2.", Ip);
        }

        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var subnet = string.Create(CultureInfo.InvariantCulture, $"10.213.{RandomNumberGenerator.GetInt32(1, 255)}");
        var pair = new NetworkNamespacePair($"upseed-{tag}-a", $"upseed-{tag}-b", subnet);
        var (vethA, vethB) = ($"ups{tag}a", $"ups{tag}b");
        await RunAsync(["netns", "add", pair.First], "creating a network namespace needs root (CAP_SYS_ADMIN)");
        try
        {
            await RunAsync(["netns", "add", pair.Second], "creating the second namespace");
            await RunAsync(["link", "add", vethA, "type", "veth", "peer", "name", vethB], "creating a veth pair");
            await RunAsync(["link", "set", vethA, "netns", pair.First], "moving one end");
            await RunAsync(["link", "set", vethB, "netns", pair.Second], "moving the other end");
            foreach (var (ns, veth, address) in new[] { (pair.First, vethA, pair.FirstAddress), (pair.Second, vethB, pair.SecondAddress) })
            {
                await RunAsync(["netns", "exec", ns, Ip, "addr", "add", address + "/24", "dev", veth], "addressing");
                await RunAsync(["netns", "exec", ns, Ip, "link", "set", veth, "up"], "bringing the veth up");
                await RunAsync(["netns", "exec", ns, Ip, "link", "set", "lo", "up"], "bringing loopback up");
            }

            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a program inside one of the two namespaces.</summary>
    public static BackgroundProcess Start(string ns, string fileName, IEnumerable<string> arguments, string debianPackage, string? workingDirectory = null)
    {
        if (!File.Exists(fileName))
        {
            throw new FileNotFoundException($"{fileName} is missing: install the Debian package {debianPackage}.", fileName);
        }

        return BackgroundProcess.Start(Ip, ["netns", "exec", ns, fileName, .. arguments], "iproute2", workingDirectory);
    }

    /// <summary>Runs a program inside one of the two namespaces to completion.</summary>
    public static Task<ProcessResult> RunAsync(string ns, string fileName, IEnumerable<string> arguments) =>
        ProcessRunner.RunAsync(Ip, ["netns", "exec", ns, fileName, .. arguments], TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await ProcessRunner.RunAsync(Ip, ["netns", "del", First], TimeSpan.FromSeconds(30));
        await ProcessRunner.RunAsync(Ip, ["netns", "del", Second], TimeSpan.FromSeconds(30));
    }

    private static async Task RunAsync(IEnumerable<string> arguments, string what)
    {
        var result = await ProcessRunner.RunAsync(Ip, arguments, TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({what}): {result.StandardError.Trim()}");
        }
    }
}

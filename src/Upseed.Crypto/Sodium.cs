using System.Reflection;
using System.Runtime.InteropServices;

namespace Upseed.Crypto;

/// <summary>
/// The libsodium entry points we use. Debian and Raspberry Pi OS ship it as <c>libsodium.so.23</c> (package
/// libsodium23); the resolver also tries the unversioned names so a developer machine with another packaging works.
/// </summary>
internal static partial class Sodium
{
    private const string LibraryName = "libsodium";
    private static readonly string[] s_candidates = ["libsodium.so.23", "libsodium.so", "libsodium.dylib", "libsodium"];
    private static int s_initialized;

    static Sodium()
    {
        NativeLibrary.SetDllImportResolver(typeof(Sodium).Assembly, Resolve);
    }

    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref s_initialized) == 1)
        {
            return;
        }

        // sodium_init returns 0 on success, 1 if already initialized, -1 on failure.
        if (sodium_init() < 0)
        {
            throw new InvalidOperationException("libsodium failed to initialize.");
        }

        Volatile.Write(ref s_initialized, 1);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            "libsodium was not found. Install it: on Debian or Raspberry Pi OS, 'sudo apt-get install libsodium23'.");
    }

    [LibraryImport(LibraryName)]
    internal static partial int sodium_init();

    [LibraryImport(LibraryName)]
    internal static unsafe partial int crypto_sign_seed_keypair(byte* pk, byte* sk, byte* seed);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int crypto_sign_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int crypto_sign_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);

    [LibraryImport(LibraryName)]
    internal static unsafe partial void randombytes_buf(byte* buf, nuint size);
}

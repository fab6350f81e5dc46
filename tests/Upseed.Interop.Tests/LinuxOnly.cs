// The interop tests drive Debian's clients, opentracker and Linux network namespaces: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

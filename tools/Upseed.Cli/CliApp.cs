using System.CommandLine;
using Upseed.Records;

namespace Upseed.Cli;

/// <summary>The command tree. Every command runs through <see cref="Run"/>, which maps failures to exit codes.</summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error, CliEnvironment environment)
    {
        var root = Build(output, error, environment, out var exitCode);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                error.WriteLine($"upseed: {parseError.Message}");
            }

            error.WriteLine("Try 'upseed --help'.");
            return ExitCodes.Usage;
        }

        var code = parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return exitCode.Value ?? code;
    }

    private static RootCommand Build(TextWriter output, TextWriter error, CliEnvironment environment, out StrongBox<int?> exitCode)
    {
        var box = new StrongBox<int?>();
        exitCode = box;

        // Built per run: options are attached to their parent commands, so sharing them between runs would chain
        // every earlier tree to them (tests run the CLI many times in one process).
        var dataOption = new Option<string?>("--data")
        {
            Description = "Data folder (default: $UPSEED_DATA, else ~/.local/share/upseed)",
            Recursive = true,
        };
        var jsonOption = new Option<bool>("--json")
        {
            Description = "Machine-readable JSON output",
            Recursive = true,
        };

        // Wraps a handler: opens the context, turns known failures into exit codes and one clear line on stderr.
        Action<ParseResult> Handler(Action<CliContext, ParseResult> body) => parse =>
        {
            var folder = parse.GetValue(dataOption) ?? environment.DefaultDataFolder;
            using var context = new CliContext(folder, parse.GetValue(jsonOption), output, error, environment);
            try
            {
                body(context, parse);
                box.Value = ExitCodes.Success;
            }
            catch (CliException ex)
            {
                error.WriteLine($"upseed: {ex.Message}");
                box.Value = ex.ExitCode;
            }
            catch (RecordRejectedException ex)
            {
                error.WriteLine($"upseed: rejected: {ex.Rejection}");
                box.Value = ExitCodes.Rejected;
            }
            catch (IOException ex)
            {
                error.WriteLine($"upseed: {ex.Message}");
                box.Value = ExitCodes.Failure;
            }
            catch (UnauthorizedAccessException ex)
            {
                error.WriteLine($"upseed: {ex.Message}");
                box.Value = ExitCodes.Failure;
            }
        };

        var root = new RootCommand("Upseed: a peer-to-peer text forum on BitTorrent. Every post is a torrent; upvoting a post seeds it.");
        root.Options.Add(dataOption);
        root.Options.Add(jsonOption);
        root.Subcommands.Add(IdCommands.Build(Handler));
        foreach (var command in ForumCommands.Build(Handler))
        {
            root.Subcommands.Add(command);
        }

        foreach (var command in TransferCommands.Build(Handler))
        {
            root.Subcommands.Add(command);
        }

        foreach (var command in NodeCommands.Build(Handler))
        {
            root.Subcommands.Add(command);
        }

        foreach (var command in PolicyCommands.Build(Handler))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(DhtCommands.Build(Handler));
        root.Subcommands.Add(BenchCommands.Build(Handler));
        return root;
    }
}

/// <summary>A mutable holder, so handlers can report the exit code they chose.</summary>
internal sealed class StrongBox<T>
{
    public T? Value { get; set; }
}

/// <summary>Turns a command body into a System.CommandLine action with the shared error handling.</summary>
internal delegate Action<ParseResult> HandlerFactory(Action<CliContext, ParseResult> body);

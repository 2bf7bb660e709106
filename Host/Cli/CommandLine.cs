namespace Pipeline.Cli.Cli;

/// <summary>
/// A parsed command line: the command words (e.g. <c>model info</c>), positional arguments, repeatable options
/// (<c>--set</c>, <c>--plugins</c>) and flags (<c>--json</c>).
/// </summary>
public sealed class CommandLine
{
    /// <summary>Options that take a value; all others starting with <c>--</c> are flags.</summary>
    private static readonly HashSet<string> ValueOptions =
    [
        "set", "plugins", "out", "resume", "extend", "backbone", "queue", "poll-seconds", "python",
        "format", "strip-prefix", "add-prefix", "limit",
        "channels", "size", "kernels", "repeats", "paths", "min-kernel-size", "kernel", "alpha", "calls", "learning-rate", "blocks",
        "prediction", "reference", "labels", "tolerance", "empty",
        "shape", "roi", "classes", "overlap", "blend", "sw-batch-size", "mirror-axes", "probabilities", "network",
        "checkpoint", "input", "output", "preprocess",
        "cases", "patch", "iterations", "prefetch", "work",
        "sizes", "feature-sizes", "attention", "measures",
    ];

    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandLine(IReadOnlyList<string> words, IReadOnlyList<string> positionals)
    {
        Words = words;
        Positionals = positionals;
    }

    /// <summary>Command words, e.g. ["model", "info"].</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Positional arguments after the command words (e.g. the manifest file).</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>All values of a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string option) => _options.TryGetValue(option, out var values) ? values : [];

    /// <summary>The last value of an option, or null.</summary>
    public string? Value(string option) => _options.TryGetValue(option, out var values) ? values[^1] : null;

    /// <summary>True when the flag was given.</summary>
    public bool Flag(string flag) => _flags.Contains(flag);

    /// <summary>Option and flag names that were given, for rejecting the ones a command does not take.</summary>
    public IEnumerable<string> GivenNames => _options.Keys.Concat(_flags);

    /// <summary>Parses <paramref name="args"/>. <paramref name="commandWordCount"/> words are read as the command.</summary>
    /// <exception cref="CommandLineException">An option that needs a value has none.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args, Func<IReadOnlyList<string>, int> commandWordCount)
    {
        var bare = new List<string>();
        var options = new List<(string Name, string? Value)>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                string name = arg[2..];
                string? value = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) (name, value) = (name[..eq], name[(eq + 1)..]);
                if (ValueOptions.Contains(name) && value is null)
                {
                    if (i + 1 >= args.Count) throw new CommandLineException($"Option --{name} needs a value.");
                    value = args[++i];
                }
                options.Add((name, value));
            }
            else
            {
                bare.Add(arg);
            }
        }
        int words = Math.Min(commandWordCount(bare), bare.Count);
        var line = new CommandLine(bare.Take(words).ToList(), bare.Skip(words).ToList());
        foreach (var (name, value) in options)
        {
            if (value is null && !ValueOptions.Contains(name)) line._flags.Add(name);
            else
            {
                if (!line._options.TryGetValue(name, out var list)) line._options[name] = list = [];
                list.Add(value ?? "");
            }
        }
        return line;
    }
}

/// <summary>The command line is malformed; the message says how.</summary>
public sealed class CommandLineException(string message) : Exception(message);

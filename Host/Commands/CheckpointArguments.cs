using Pipeline.Cli.Cli;
using Pipeline.Core.Composition;
using Pipeline.Core.Manifest;

namespace Pipeline.Cli.Commands;

/// <summary>The arguments the <c>checkpoint</c> commands share: one input FILE, an <c>--out</c> FILE, and error wrapping.</summary>
internal static class CheckpointArguments
{
    /// <summary>The single positional FILE, which must exist.</summary>
    public static string InputFile(CommandLine line, string usage)
    {
        if (line.Positionals.Count != 1) throw new CommandLineException($"expected one checkpoint FILE. Usage: {usage}");
        string file = Path.GetFullPath(line.Positionals[0]);
        if (!File.Exists(file)) throw new UserFacingException($"checkpoint '{file}' does not exist.");
        return file;
    }

    /// <summary>The required <c>--out</c> FILE, which must differ from the input.</summary>
    public static string OutputFile(CommandLine line, string input, string usage)
    {
        string output = line.Value("out") is { Length: > 0 } value
            ? Path.GetFullPath(value)
            : throw new CommandLineException($"--out FILE is required. Usage: {usage}");
        if (output == input) throw new CommandLineException($"--out must differ from the input file '{input}'.");
        return output;
    }

    /// <summary>
    /// Runs <paramref name="action"/>, turning the errors a user can fix (a malformed or mismatched file, an unknown
    /// plugin or option) into <see cref="UserFacingException"/>s with their messages, which name the file.
    /// </summary>
    public static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or UnknownPluginException or ManifestException or NotSupportedException)
        {
            throw new UserFacingException(e.Message, e);
        }
    }
}

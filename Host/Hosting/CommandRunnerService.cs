using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Commands;

namespace Pipeline.Cli.Hosting;

/// <summary>
/// Runs the selected command as the host's background work, then stops the host. Ctrl+C / SIGTERM cancel the
/// stopping token; long commands (a training run) finish their current step, save, and return.
/// </summary>
public sealed class CommandRunnerService(
    ICliCommand command,
    CommandLine line,
    CommandOutcome outcome,
    CliOutput output,
    IHostApplicationLifetime lifetime,
    ILogger<CommandRunnerService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Torch work is synchronous and long: keep it off the host's start-up path.
            outcome.ExitCode = await Task.Run(() => command.ExecuteAsync(line, stoppingToken), CancellationToken.None);
        }
        catch (Exception e) when (e is UserFacingException or CommandLineException)
        {
            output.Error.WriteLine($"error: {e.Message}");
            outcome.ExitCode = e is UserFacingException userFacing ? userFacing.ExitCode : 2;
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Command} failed", command.Name);
            output.Error.WriteLine($"error: {e.Message}");
            outcome.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}

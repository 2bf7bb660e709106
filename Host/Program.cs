return await Pipeline.Cli.PipelineCli.RunAsync(args, Console.Out, Console.Error);

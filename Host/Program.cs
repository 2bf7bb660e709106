// Native settings first: libtorch must see them before its first operation.
Pipeline.Core.Native.NativeRuntimeSettings.Apply();
return await Pipeline.Cli.PipelineCli.RunAsync(args, Console.Out, Console.Error);

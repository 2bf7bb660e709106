using System.Runtime.CompilerServices;

namespace Pipeline.Tests;

internal static class TestAssemblySetup
{
    /// <summary>Some tests call torch before touching Pipeline.Core; apply its native settings first.</summary>
    [ModuleInitializer]
    internal static void Initialize() => Pipeline.Core.Native.NativeRuntimeSettings.Apply();
}

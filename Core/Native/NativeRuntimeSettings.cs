using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Core.Native;

/// <summary>
/// Process-level settings that libtorch's native code must see before its first operation.
/// </summary>
/// <remarks>
/// libtorch 2.10's bundled oneDNN (3.7.1) computes wrong float32 conv3d results with its JIT kernels when the channel
/// count is not a multiple of the kernels' block (measured on the AMD EPYC machines this project runs on). With
/// AVX-512 and AVX2 the input gradient of a 3x3x3 conv with 8 or 14 output channels was off by ~20-40 on values of
/// ~60-80, sometimes NaN, and the forward with 24 channels too. Capping at AVX fixed those, but the AVX kernels
/// (8-wide blocks) still get the forward wrong, or NaN, with 12 input channels at 48^3 and larger (a 12-channel
/// SwinUNETR at 64^3). The SSE4.1 kernels (4-wide blocks) were correct for every channel count and size swept, so the
/// cap is SSE41. oneDNN reads <c>ONEDNN_MAX_CPU_ISA</c> with getenv when it first dispatches, and .NET's
/// Environment.SetEnvironmentVariable does not reach native getenv on Linux, so libc's setenv is called directly. A
/// value the user set explicitly is left alone. Reproduce with the test NativeRuntimeSettingsTests;
/// docs/known-issues.md has the measurements.
/// </remarks>
public static class NativeRuntimeSettings
{
    /// <summary>The oneDNN variable that caps the instruction set its kernels use.</summary>
    public const string OneDnnMaxIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap applied when the user set none.</summary>
    public const string SafeOneDnnIsa = "SSE41";

    /// <summary>Runs when Pipeline.Core loads, i.e. before any of its torch code.</summary>
    [ModuleInitializer]
    internal static void OnCoreLoaded() => Apply();

    /// <summary>Applies the settings; idempotent. Call before the first torch operation.</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OneDnnMaxIsaVariable))) return;
        Environment.SetEnvironmentVariable(OneDnnMaxIsaVariable, SafeOneDnnIsa);
        _ = setenv(OneDnnMaxIsaVariable, SafeOneDnnIsa, 0);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}

/* Test harness only, never shipped: Wine 8 has no bcryptprimitives.dll, whose
 * ProcessPrng Rust's std imports on Windows 10 and later. This stand-in
 * answers it from RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * Built by scripts/cross-check.sh with mingw-w64 and put beside the .exe. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

/* Job-only stub (never shipped): Windows 10 has bcryptprimitives.dll, Wine 8.0 does not.
 * The Rust standard library inside cryptography's _rust.pyd imports ProcessPrng from it;
 * here it draws from the system RNG that Wine does implement (bcrypt.BCryptGenRandom). */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE out, SIZE_T size)
{
    while (size > 0) {
        ULONG part = size > 0x10000000 ? 0x10000000 : (ULONG)size;
        if (BCryptGenRandom(NULL, out, part, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        out += part;
        size -= part;
    }
    return TRUE;
}

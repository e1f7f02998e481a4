/* Job-only stub (never shipped), loaded instead of Wine's builtin mscms.dll through a
 * DllOverride: Qt's qwindows.dll calls WcsCreateIccProfile, which Wine 8.0 leaves
 * unimplemented (the process aborts). Every colour profile is "not supported": Qt then
 * assumes sRGB, as on a PC without a display profile. */
#include <windows.h>

#define API __declspec(dllexport)

API HANDLE WINAPI OpenColorProfileW(void *profile, DWORD access, DWORD share, DWORD creation)
{
    (void)profile; (void)access; (void)share; (void)creation;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}

API BOOL WINAPI CloseColorProfile(HANDLE profile) { (void)profile; return TRUE; }

API BOOL WINAPI GetColorProfileFromHandle(HANDLE profile, BYTE *buffer, DWORD *size)
{
    (void)profile; (void)buffer; (void)size;
    SetLastError(ERROR_NOT_SUPPORTED);
    return FALSE;
}

API HANDLE WINAPI WcsCreateIccProfile(HANDLE profile, DWORD options)
{
    (void)profile; (void)options;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}

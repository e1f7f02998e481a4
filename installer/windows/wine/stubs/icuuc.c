/* Job-only stub (never shipped): Windows 10 (1903+) has icuuc.dll, Wine 8.0 does not.
 * Qt6Core imports ICU's converter API for legacy text codecs, which PixDesk never uses:
 * every converter "does not exist" (U_FILE_ACCESS_ERROR), so Qt falls back to UTF-8/UTF-16. */
#include <stddef.h>

#define API __declspec(dllexport)
#define U_FILE_ACCESS_ERROR 4

typedef int UErrorCode;
typedef struct UConverter UConverter;

static void *refuse(UErrorCode *status)
{
    if (status && *status <= 0)
        *status = U_FILE_ACCESS_ERROR;
    return NULL;
}

API UConverter *ucnv_open(const char *name, UErrorCode *status) { (void)name; return refuse(status); }
API void ucnv_close(UConverter *c) { (void)c; }
API void ucnv_reset(UConverter *c) { (void)c; }
API signed char ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 4; }
API const char *ucnv_getName(const UConverter *c, UErrorCode *status) { (void)c; return refuse(status); }
API const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *status)
{
    (void)name; (void)standard; return refuse(status);
}
API int ucnv_countAvailable(void) { return 0; }
API const char *ucnv_getAvailableName(int n) { (void)n; return NULL; }
API int ucnv_toUCountPending(const UConverter *c, UErrorCode *status) { (void)c; refuse(status); return 0; }
API int ucnv_fromUCountPending(const UConverter *c, UErrorCode *status) { (void)c; refuse(status); return 0; }

/* Only reachable through a converter, and ucnv_open never returns one. */
API void ucnv_toUnicode(void) {}
API void ucnv_fromUnicode(void) {}
API void ucnv_getToUCallBack(void) {}
API void ucnv_getFromUCallBack(void) {}
API void ucnv_setToUCallBack(void) {}
API void ucnv_setFromUCallBack(void) {}
API void ucnv_cbToUWriteUChars(void) {}
API void ucnv_cbFromUWriteUChars(void) {}
API void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
API void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}

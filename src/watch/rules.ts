// The player's remembered languages, declared once: the API's schemas (model.ts) use them.
// A language is a tag as the playlists name tracks (`ru`, `en`, `pt-BR`); subtitles may also
// be `off`, the viewer having turned them off.
export const languageTagRule = { pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$', maxLength: 35 } as const
export const subtitlesOff = 'off'
export const subtitleLanguageRule = { pattern: `^(${subtitlesOff}|[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3})$`, maxLength: 35 } as const

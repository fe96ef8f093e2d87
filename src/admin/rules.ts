// The admin rules, declared once: the API's schema (admin/model.ts) and the runners page
// form (pages/admin/) are built from these values.

// What an admin calls a runner registration token, to tell them apart later.
export const registrationLabelRule = { minLength: 1, maxLength: 100 } as const

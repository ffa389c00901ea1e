// The story editor's toolbar as the desk needs it (django-prose-editor loads this
// module for the "DeskToolbar" extension: settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
//
// - Its buttons and block menu are named in the admin's language. The package
//   hard-codes English titles ("bold", "Heading 2"), so the server sends ours,
//   already translated, in the extension's options (ArticleAdmin.editor_config).
// - Its image button opens the photo library (the admin's own lookup window)
//   instead of asking for an address that saving would refuse: the chosen photo
//   is placed as a figure whose image carries the photo's id in data-file, and
//   pages draw it responsive, with its credit.
import { Extension } from "django-prose-editor/editor"

// Every group the package's menu defines items in.
const ALL_GROUPS = "blockType nodes lists marks link history utility textAlign table"

let lookups = 0

function openLibrary(editor, library) {
  // Django's lookup window hands the chosen id back to the element named by the
  // link's id (RelatedObjectLookups.js); both are ours, one pair an editor.
  const name = `id_body_photo_${++lookups}`
  const target = document.createElement("input")
  target.type = "hidden"
  target.id = name
  editor.options.element.append(target)
  const link = document.createElement("a")
  link.id = `lookup_${name}`
  link.href = `${library.lookupUrl}?_to_field=id`
  django.jQuery(target).one("change", async () => {
    const id = Number.parseInt(target.value, 10)
    target.remove()
    if (!Number.isSafeInteger(id)) {
      return
    }
    const response = await fetch(library.embedUrl.replace("/0/", `/${id}/`), {
      credentials: "same-origin",
    })
    if (!response.ok) {
      return
    }
    const photo = await response.json()
    const figure = [{ type: "image", attrs: { src: photo.src, alt: photo.alt, file: String(photo.id) } }]
    if (photo.caption) {
      figure.push({ type: "caption", content: [{ type: "text", text: photo.caption }] })
    }
    editor.chain().focus().insertContent({ type: "figure", content: figure }).run()
  })
  window.showRelatedObjectLookupPopup(link)
}

function name(element, title) {
  element.title = title
  element.setAttribute("aria-label", title)
}

export const DeskToolbar = Extension.create({
  name: "deskToolbar",
  // Last among the extensions, so that every other one has defined its items.
  priority: 1,

  addOptions() {
    return { titles: {}, library: null }
  },

  addMenuItems({ menu, buttons }) {
    const { titles, library } = this.options
    if (library && menu.items("nodes").some((item) => item.name === "figure")) {
      menu.defineItem({
        name: "figure",
        groups: "nodes",
        button: buttons.material("image", ""),
        command: (editor) => openLibrary(editor, library),
        active: (editor) => editor.isActive("figure"),
      })
    }
    for (const item of menu.items(ALL_GROUPS)) {
      const title = titles[item.name]
      if (!title) {
        continue
      }
      if (item.button) {
        name(item.button, title)
      }
      if (item.option) {
        item.option.textContent = title
      }
    }
  },
})

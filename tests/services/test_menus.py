from bot.content.render import Renderer
from bot.services import menus


def test_every_menu_ends_with_a_person_and_the_main_menu(catalog):
    renderer = Renderer(catalog, "en")
    for menu_id in ["stage:planning_birth", "topic:place_of_birth", "fallback"]:
        menu = menus.build(menu_id, catalog, renderer)
        assert menu.options[-1].number == 0 and menu.options[-1].target == "menu:main"
        assert menu.options[-2].target == "person"


def test_menu_text_and_buttons_agree(catalog):
    message = menus.build("topic:infant_feeding", catalog, Renderer(catalog, "pl")).render(Renderer(catalog, "pl"))
    for button in message.buttons:
        assert button.title in message.text
    assert message.text.splitlines()[-1].startswith("0. ")


def test_unknown_menu_ids_fall_back_to_the_main_menu(catalog):
    assert menus.build("topic:nope", catalog, Renderer(catalog, "en")).id == "main"
    assert menus.build(None, catalog, Renderer(catalog, "en")).id == "main"

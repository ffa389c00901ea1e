"""
A small demo newsroom, written in our own words, shaped like the reference story.

Only the facts of the reference report are reused (who met whom, when, the
credit «akorda.kz»); every sentence here is the project's own. The other
stories are invented to fill the front page.
"""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Byline, Section
from media.imaging import drawn_landscape, drawn_portrait
from media.models import Photo
from newsroom.models import Author

ALMATY = ZoneInfo("Asia/Almaty")

# Name, address, description; then the names on the Kazakh and English sites.
SECTIONS = [
    ("События", "sobytiya", "Главное за день в Казахстане и мире.", "Оқиғалар", "News"),
    ("Политика", "politika", "Власть, законы, дипломатия.", "Саясат", "Politics"),
    ("Экономика", "ekonomika", "Деньги, бизнес, цены.", "Экономика", "Economy"),
    ("Общество", "obshchestvo", "Города, люди, образование и здоровье.", "Қоғам", "Society"),
    ("Спорт", "sport", "Турниры, команды, результаты.", "Спорт", "Sport"),
]

AUTHORS = [
    {
        "name": "Ирина Капитанова",
        "job_title": "корреспондент",
        "bio": "Пишет о внешней политике и дипломатии. В редакции с 2019 года.",
    },
    {
        "name": "Данияр Сейітқали",
        "job_title": "фотокорреспондент",
        "bio": "Снимает городскую жизнь, спорт и большие события.",
    },
    {
        "name": "Айгерим Нұрланқызы",
        "job_title": "редактор отдела «Общество»",
        "bio": "Отвечает за новости городов и социальные темы.",
    },
]

# Stand-ins drawn with Pillow: nothing is downloaded. "staff" links the credit to an author.
PHOTOS = {
    "tokayev": {
        "file": "tokaev-akorda.jpg",
        "description": "Президент Казахстана Касым-Жомарт Токаев",
        "alt_text": "Касым-Жомарт Токаев во время встречи в Акорде",
        "credit_line": "akorda.kz",
        "source": "Пресс-служба Президента Республики Казахстан",
        "copyright_notice": "© Акорда",
    },
    "festival": {
        "file": "ұлы-дала-фестиваль.jpg",
        "description": "Сцена фестиваля на Левом берегу Астаны",
        "alt_text": "Холмы и закатное небо над площадкой фестиваля",
        "credit_line": "Данияр Сейітқали",
        "creator": "Данияр Сейітқали",
        "staff": "Данияр Сейітқали",
    },
    "library": {
        "file": "biblioteka.jpg",
        "description": "Читальный зал городской библиотеки",
        "alt_text": "Светлый читальный зал с видом на горы",
        "credit_line": "Данияр Сейітқали",
        "creator": "Данияр Сейітқали",
        "staff": "Данияр Сейітқали",
    },
    "chess": {
        "file": "shakhmaty.jpg",
        "description": "Участники юношеского турнира по шахматам",
        "alt_text": "Вид на город в день открытия турнира",
        "credit_line": "Пресс-служба федерации шахмат",
        "source": "Федерация шахмат",
    },
}

STORIES = [
    {
        "key": "nakhchivan",
        "title": "Токаев высказался об атаке беспилотников на аэропорт Нахичевани",
        "slug": "tokaev-vyskazalsya-ob-atake-bespilotnikov-na-aeroport-nakhichevani",
        "section": "sobytiya",
        "published_at": (2026, 3, 5, 18, 30),
        "lead": (
            "Касым-Жомарт Токаев обозначил официальную позицию Казахстана после атаки "
            "беспилотников на аэропорт Нахичевани 5 марта."
        ),
        "body": (
            "<p>Заявление Главы государства появилось вечером 5 марта, в день атаки.</p>"
            "<p>Полный текст позиции Казахстана опубликован на официальном сайте Акорды.</p>"
        ),
        "source": ("Акорда", "https://www.akorda.kz/ru"),
        "authors": ["Ирина Капитанова"],
        "tags": ["Касым-Жомарт Токаев", "Азербайджан"],
    },
    {
        "key": "reference",
        "title": "Токаев: гуманитарная помощь не может быть предметом политического торга",
        "slug": "tokaev-gumanitarnaya-pomoshch-ne-mozhet-byt-predmetom-politicheskogo-torga",
        "section": "sobytiya",
        "published_at": (2026, 3, 6, 14, 0),
        "lead": (
            "Касым-Жомарт Токаев провёл в Акорде переговоры с президентом Международного "
            "комитета Красного Креста Мирьяной Сполярич."
        ),
        "photo": "tokayev",
        "caption": "Президент Казахстана Касым-Жомарт Токаев",
        "body": (
            "<p>По сообщению Акорды от 6 марта 2026 года, Глава государства назвал "
            "нейтральный мандат Красного Креста тем, что делает организацию незаменимой, "
            "и призвал не смешивать гуманитарную помощь с политикой.</p>"
            '<blockquote><p>"Красный Крест остаётся одной из опор, на которых держится '
            "гуманитарное сотрудничество государств. Мы видим, сколько делает ваша "
            "организация для соблюдения гуманитарного права, и особенно ценим эту работу "
            'там, где людям больше всего нужна поддержка", – сказал Президент.</p></blockquote>'
            "<p>Казахстан входит в шестёрку стран, которые выступили инициаторами Глобальной "
            "инициативы в поддержку международного гуманитарного права.</p>"
            "<p>Стороны обсудили и подготовку к конференции высокого уровня о гуманности во "
            "время войны: её планируют провести в Иордании в конце года.</p>"
            "<p>Мирьяна Сполярич поблагодарила Казахстан за поддержку миссии МККК и "
            "напомнила, что диалог страны с комитетом продолжается с 1990-х годов.</p>"
            '<blockquote><p>"Роль государств здесь решающая. Женевские конвенции подписали '
            "все страны мира, но действуют они лишь настолько, насколько государства "
            'готовы их защищать", – отметила глава МККК.</p></blockquote>'
            "<p>Собеседники также коснулись международной повестки и договорились развивать "
            "партнёрство Казахстана и Красного Креста.</p>"
        ),
        "source": ("Акорда", "https://www.akorda.kz/ru"),
        "related": ["nakhchivan"],
        "authors": ["Ирина Капитанова"],
        "tags": ["Касым-Жомарт Токаев", "МККК", "гуманитарное право"],
        "is_top": True,
    },
    {
        "key": "reference-kk",
        "language": "kk",
        "translation_of": "reference",
        "title": "Тоқаев: гуманитарлық көмек саяси саудаласудың тақырыбы бола алмайды",
        "slug": "toqaev-gumanitarlyq-komek-sayasi-saudalasudyng-taqyryby-bola-almaydy",
        "section": "sobytiya",
        "published_at": (2026, 3, 6, 14, 10),
        "lead": (
            "Қасым-Жомарт Тоқаев Ақордада Халықаралық Қызыл Крест комитетінің президенті "
            "Мирьяна Споляричпен келіссөз жүргізді."
        ),
        "photo": "tokayev",
        "caption": "Қазақстан Президенті Қасым-Жомарт Тоқаев",
        "body": (
            "<p>Ақорданың 6 наурыздағы хабарына қарағанда, Мемлекет басшысы Қызыл Кресттің "
            "бейтарап мандаты оны ешкім алмастыра алмайтын ұйымға айналдырғанын айтып, "
            "гуманитарлық көмекті саясатқа араластырмауға үндеді.</p>"
            '<blockquote><p>"Қызыл Крест мемлекеттердің гуманитарлық ынтымақтастығы '
            "сүйенетін тіректің бірі. Көмекке ең мұқтаж жерлерде атқарылып жатқан жұмысты "
            'ерекше бағалаймыз", – деді Президент.</p></blockquote>'
            "<p>Тараптар соғыс кезіндегі ізгілікке арналған жоғары деңгейдегі конференцияға "
            "дайындықты да талқылады.</p>"
        ),
        "source": ("Ақорда", "https://www.akorda.kz/kz"),
        "authors": ["Ирина Капитанова"],
        "tags": ["Қасым-Жомарт Тоқаев", "ХҚКК"],
        "is_top": True,
    },
    {
        "key": "reference-en",
        "language": "en",
        "translation_of": "reference",
        "title": "Tokayev: humanitarian aid must never be a bargaining chip",
        "slug": "tokayev-humanitarian-aid-must-never-be-a-bargaining-chip",
        "section": "sobytiya",
        "published_at": (2026, 3, 6, 14, 20),
        "lead": (
            "Kassym-Jomart Tokayev held talks at Akorda with Mirjana Spoljaric, President of "
            "the International Committee of the Red Cross."
        ),
        "photo": "tokayev",
        "caption": "President of Kazakhstan Kassym-Jomart Tokayev",
        "body": (
            "<p>According to Akorda, the head of state said on 6 March that the Red Cross's "
            "neutral mandate is what makes it irreplaceable, and urged that aid be kept apart "
            "from politics.</p>"
            '<blockquote><p>"The Red Cross remains one of the pillars of humanitarian '
            "cooperation between states, and we value its work most where people need help "
            'the most," the President said.</p></blockquote>'
            "<p>The two sides also discussed a high-level conference on humanity in war.</p>"
        ),
        "source": ("Akorda", "https://www.akorda.kz/en"),
        "authors": ["Ирина Капитанова"],
        "tags": ["Kassym-Jomart Tokayev", "ICRC"],
        "is_top": True,
    },
    {
        "key": "festival",
        "title": "В Астане пройдёт фестиваль «Ұлы дала елі»",
        "slug": "v-astane-proydet-festival-uly-dala-eli",
        "section": "obshchestvo",
        "published_at": (2026, 3, 6, 11, 15),
        "lead": (
            "Трёхдневный фестиваль национальной культуры откроется на Левом берегу: "
            "концерты, ремёсла и кухня разных регионов."
        ),
        "photo": "festival",
        "body": (
            "<p>Организаторы обещают две сцены и ярмарку мастеров. Вход свободный.</p>"
            "<p>Программу по дням опубликуют за неделю до открытия.</p>"
        ),
        "authors": ["Айгерим Нұрланқызы", ("Данияр Сейітқали", Byline.Role.PHOTO)],
        "tags": ["Астана", "Наурыз", "культура"],
    },
    {
        "key": "library",
        "title": "Городская библиотека будет работать до полуночи в дни сессии",
        "slug": "gorodskaya-biblioteka-budet-rabotat-do-polunochi",
        "section": "obshchestvo",
        "published_at": (2026, 3, 5, 10, 0),
        "lead": (
            "Читальные залы центральной библиотеки Алматы продлят часы работы на время "
            "экзаменов в вузах."
        ),
        "photo": "library",
        "body": "<p>Для студентов откроют дополнительный зал с розетками у каждого стола.</p>",
        "authors": ["Айгерим Нұрланқызы"],
        "tags": ["Алматы", "образование"],
    },
    {
        "key": "chess",
        "title": "Юные шахматисты из пяти стран сыграют в Шымкенте",
        "slug": "yunye-shakhmatisty-iz-pyati-stran-sygrayut-v-shymkente",
        "section": "sport",
        "published_at": (2026, 3, 4, 16, 45),
        "lead": "Международный юношеский турнир соберёт больше ста участников до 16 лет.",
        "photo": "chess",
        "body": "<p>Партии будут транслировать онлайн, а финал пройдёт в день закрытия.</p>",
        "authors": ["Данияр Сейітқали"],
        "tags": ["шахматы", "Шымкент"],
    },
    {
        "key": "festival-kk",
        "language": "kk",
        "translation_of": "festival",
        "title": "Астанада «Ұлы дала елі» фестивалі өтеді",
        "slug": "astanada-uly-dala-eli-festivali-otedi",
        "section": "obshchestvo",
        "published_at": (2026, 3, 6, 11, 30),
        "lead": (
            "Ұлттық мәдениет фестивалі Сол жағалауда үш күн бойы өтеді: концерттер, "
            "қолөнер және өңірлердің асханасы."
        ),
        "photo": "festival",
        "body": "<p>Кіру тегін. Бағдарлама ашылудан бір апта бұрын жарияланады.</p>",
        "authors": ["Айгерим Нұрланқызы", ("Данияр Сейітқали", Byline.Role.PHOTO)],
        "tags": ["Астана", "мәдениет"],
    },
    {
        "key": "chess-en",
        "language": "en",
        "translation_of": "chess",
        "title": "Young chess players from five countries to meet in Shymkent",
        "slug": "young-chess-players-from-five-countries-to-meet-in-shymkent",
        "section": "sport",
        "published_at": (2026, 3, 4, 17, 0),
        "lead": "The international youth tournament expects more than a hundred players under 16.",
        "photo": "chess",
        "body": "<p>Games will be streamed online; the final is played on the closing day.</p>",
        "authors": ["Данияр Сейітқали"],
        "tags": ["chess", "Shymkent"],
    },
    {
        "key": "tenge",
        "title": "Нацбанк опубликовал график решений по базовой ставке",
        "slug": "natsbank-opublikoval-grafik-resheniy-po-bazovoy-stavke",
        "section": "ekonomika",
        "published_at": (2026, 3, 3, 9, 30),
        "lead": "Регулятор заранее назвал даты, когда будет объявлять решения по ставке.",
        "body": "<p>Каждое решение сопроводит пресс-релиз и пресс-конференция.</p>",
        "authors": ["Ирина Капитанова"],
        "tags": ["экономика", "базовая ставка"],
    },
    {
        "key": "maslikhat",
        "title": "Маслихат Алматы обсудит новые правила благоустройства дворов",
        "slug": "maslikhat-almaty-obsudit-pravila-blagoustroystva-dvorov",
        "section": "politika",
        "published_at": (2026, 3, 2, 12, 0),
        "lead": (
            "Депутаты рассмотрят поправки на ближайшей сессии; жители могут прислать предложения."
        ),
        "body": "<p>Проект правил размещён на портале открытых нормативных актов.</p>",
        "authors": ["Айгерим Нұрланқызы"],
        "tags": ["Алматы", "маслихат"],
    },
    {
        "key": "draft",
        "title": "Черновик: итоги недели",
        "slug": "chernovik-itogi-nedeli",
        "section": "sobytiya",
        "published_at": None,
        "lead": "Этот материал ещё не опубликован: читатели его не видят.",
        "body": "<p>Текст в работе.</p>",
        "authors": ["Ирина Капитанова"],
        "tags": [],
    },
]

# The demo's portraits are the newsroom's own, credited as such.
PORTRAIT_CREDIT = {"credit_line": "Newsroom", "copyright_notice": "© Newsroom"}


class Command(BaseCommand):
    help = "Loads a small demo newsroom. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-editor", action="store_true", help="Do not create the demo editor account."
        )
        parser.add_argument(
            "--address", default="127.0.0.1:8000", help="Where the site will be served."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        sections = self.load_sections()
        authors = self.load_authors()
        photos = self.load_photos(authors)
        self.load_stories(sections, authors, photos)
        if not options["no_editor"]:
            self.ensure_editor(options["address"])

    def load_sections(self):
        sections = {}
        for position, (name, slug, description, name_kk, name_en) in enumerate(SECTIONS):
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "name_kk": name_kk,
                    "name_en": name_en,
                    "description": description,
                    "position": position,
                },
            )
        return sections

    def load_authors(self):
        authors = {}
        for number, data in enumerate(AUTHORS):
            author = Author.objects.filter(name=data["name"]).first()
            if author is None:
                author = Author.objects.create(**data)
                Photo.objects.create_portrait(
                    author,
                    drawn_portrait(400, seed=number),
                    f"{author.slug}.jpg",
                    focal_y=0.4,  # the drawn face
                    **PORTRAIT_CREDIT,
                )
            authors[data["name"]] = author
        return authors

    def load_photos(self, authors):
        photos = {}
        for number, (key, data) in enumerate(PHOTOS.items()):
            data = dict(data)
            file_name = data.pop("file")
            staff = data.pop("staff", None)
            photo = Photo.objects.filter(description=data["description"]).first()
            if photo is None:
                photo = Photo.objects.create_from_file(
                    drawn_landscape(1600, 900, seed=100 + number),
                    file_name,
                    creator_author=authors.get(staff),
                    **data,
                )
            photos[key] = photo
        return photos

    def load_stories(self, sections, authors, photos):
        stories = {}
        for data in STORIES:
            article = Article.objects.filter(slug=data["slug"]).first()
            if article is None:
                article = Article.objects.create(
                    title=data["title"],
                    slug=data["slug"],
                    section=sections[data["section"]],
                    lead=data["lead"],
                    body=data["body"],
                    lead_photo=photos.get(data.get("photo")),
                    lead_photo_caption=data.get("caption", ""),
                    language=data.get("language", "ru"),
                    translation_of=stories.get(data.get("translation_of")),
                    is_top=data.get("is_top", False),
                    source_name=data.get("source", ("", ""))[0],
                    source_url=data.get("source", ("", ""))[1],
                    status=(
                        Article.Status.PUBLISHED if data["published_at"] else Article.Status.DRAFT
                    ),
                    published_at=(
                        datetime(*data["published_at"], tzinfo=ALMATY)
                        if data["published_at"]
                        else None
                    ),
                )
                for position, credit in enumerate(data["authors"]):
                    name, role = credit if isinstance(credit, tuple) else (credit, Byline.Role.TEXT)
                    Byline.objects.create(
                        article=article, author=authors[name], role=role, position=position
                    )
                article.tags.set(data["tags"])
                article.related_stories.set(stories[key] for key in data.get("related", []))
            stories[data["key"]] = article
        self.stdout.write(
            f"Demo newsroom: {Article.objects.published().count()} published stories."
        )

    def ensure_editor(self, address="127.0.0.1:8000"):
        """A superuser to sign in with; its password lives in var/, never in the code."""
        User = get_user_model()
        password_file = settings.VAR_DIR / "demo-editor-password.txt"
        user = User.objects.filter(username="editor").first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser("editor", "editor@example.org", password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://{address}/admin/  login: editor  password: {password}"
            )
        )

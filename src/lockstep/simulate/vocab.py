"""Word pools the simulator composes text, names and links from.

Texts are composed from several small pools (opener x body x closer), so two organic
accounts almost never write the same sentence by chance, while the operation's templates
are deliberately few. Pools are plain tuples; :mod:`lockstep.simulate.text` turns them into
numpy object arrays once.
"""

from __future__ import annotations

FIRST = ("james mary john linda david susan michael karen robert lisa william nancy daniel emily "
         "kevin grace jason amy eric helen ryan chloe tony vivian alan joyce peter wendy simon irene "
         "kelvin winnie ivan fiona leo ada jacky cherry sam ruby ben kitty ken coco tom jenny").split()
LAST = ("smith jones brown wilson taylor clark lee wong chan cheung lau ng ho leung lam tang "
        "chow yip kwok tsang wang zhang li liu chen yang huang zhao wu zhou xu sun ma zhu hu "
        "guo lin he gao luo zheng liang xie song tan").split()
ZH_NAMES = ("小明 阿強 美玲 志偉 嘉欣 家豪 詠琪 俊傑 子軒 思穎 浩然 曉彤 建國 麗華 偉明 秀英 "
            "国强 海燕 春梅 志刚 晓东 丽娟 文杰 雪梅 牛小牛 前尘往事 偌虹 清风 明月 追梦人").split()

# (language, tz offset hours, weight, locations) of organic users
REGIONS = (
    ("en", -5, 0.22, ("New York", "Boston, MA", "Chicago", "USA", "")),
    ("en", -8, 0.12, ("Los Angeles, CA", "San Francisco", "Seattle", "California, USA", "")),
    ("en", 0, 0.12, ("London", "Manchester, England", "UK", "")),
    ("zh", 8, 0.16, ("Hong Kong", "香港", "Kowloon", "")),
    ("zh", 8, 0.07, ("Taipei", "台灣", "Taiwan", "")),
    ("en", 1, 0.08, ("Berlin", "Paris", "Amsterdam", "")),
    ("en", 10, 0.06, ("Sydney", "Melbourne", "Australia", "")),
    ("ja", 9, 0.07, ("Tokyo", "東京", "")),
    ("es", -3, 0.05, ("Buenos Aires", "São Paulo", "")),
    ("en", 5, 0.05, ("Mumbai", "Delhi", "India", "")),
)

TOPIC_OPEN_EN = ("just", "honestly", "can't believe", "so", "today", "finally", "anyone else think",
                 "lol", "ok but", "new post:", "watching", "reading about", "thinking about",
                 "my take:", "fun fact:", "quick thought:", "hot take:", "ugh", "wow", "remember when")
TOPIC_BODY_EN = tuple(
    f"{a} {b}"
    for a in ("the game", "this coffee", "my commute", "the new phone", "that movie", "the playoffs",
              "this recipe", "the concert", "my cat", "the weather", "this album", "the election",
              "work today", "the gym", "this book", "the traffic", "our trip", "the deadline",
              "the stock market", "this podcast", "the update", "my garden", "the match", "dinner")
    for b in ("was amazing", "is overrated", "made my day", "is a mess", "went better than expected",
              "needs a sequel", "is everything", "broke again", "is underrated", "was so loud",
              "keeps getting better", "is worth it", "was a disaster", "surprised me")
)
TOPIC_CLOSE_EN = ("", "", "", "!", "!!", " 😂", " 🙄", " ❤️", " #mondaymood", " #tbt", " #photography",
                  " #nba", " #music", " #foodie", " tbh", " ...", " 🔥", " idk")
TOPIC_OPEN_ZH = ("今天", "終於", "其實", "剛剛", "好想", "原來", "覺得", "聽說", "老實講", "唉")
TOPIC_BODY_ZH = tuple(
    f"{a}{b}"
    for a in ("飲茶", "返工", "睇戲", "食飯", "天氣", "搭地鐵", "打機", "行山", "追劇", "咖啡", "考試", "旅行")
    for b in ("好開心", "真係好攰", "太貴了", "好正", "出事了", "好難頂", "很不錯", "又遲到", "超好笑")
)
TOPIC_CLOSE_ZH = ("", "", "！", "。", "😂", "～", "…", "❤️", "#香港", "#台灣")
TOPIC_OTHER = {
    "ja": ("今日は", "やっと", "本当に", "ちょっと", "新しい", "なんか", "楽しい一日", "疲れた", "最高でした"),
    "es": ("hoy", "por fin", "que lindo", "no puedo más", "el partido", "buen día", "increíble", "mañana"),
}

NEWS_OUTLETS = (
    ("Daily Courier", "news from around the world", "dailycourier.com", "en"),
    ("Metro Times", "breaking news, politics, business", "metrotimes.com", "en"),
    ("World Report", "independent international news", "worldreport.org", "en"),
    ("Asia Wire", "news and analysis from Asia", "asiawire.net", "en"),
    ("HK Free Press Daily", "independent Hong Kong news", "hkfpdaily.hk", "en"),
    ("The Harbour Post", "Hong Kong news since 1998", "harbourpost.hk", "en"),
    ("明報即時新聞", "香港新聞 即時報道", "mingdaily.hk", "zh"),
    ("立場新聞台", "香港獨立新聞", "standnews.hk", "zh"),
    ("CGTN World", "state media: China Global Television", "cgtn.com", "en"),
    ("Global Times", "state media: news from China", "globaltimes.cn", "en"),
    ("人民日报", "人民日报官方账号", "people.cn", "zh"),
    ("China Daily", "state media: China Daily", "chinadaily.com.cn", "en"),
    ("Tech Today", "technology news", "techtoday.io", "en"),
    ("Sports Desk", "scores and sports news", "sportsdesk.com", "en"),
)
STATE_MEDIA_DOMAINS = ("cgtn.com", "globaltimes.cn", "people.cn", "chinadaily.com.cn")
NEWS_HEAD_EN = ("Breaking:", "Live:", "Analysis:", "Update:", "Opinion:", "Explainer:", "Watch:", "")
NEWS_BODY_EN = tuple(
    f"{a} {b}"
    for a in ("Hong Kong protesters", "Lawmakers", "Markets", "Police", "The government", "Officials",
              "Thousands", "Tech giants", "Central bank", "Students", "Airport authority", "Voters",
              "Scientists", "Trade talks", "The chief executive")
    for b in ("rally against extradition bill", "face new questions", "react to latest data",
              "call for calm", "announce new measures", "march through city centre",
              "delay controversial vote", "clash near government offices", "warn of slowdown",
              "meet amid tensions", "issue statement", "close early", "demand inquiry")
)
NEWS_BODY_ZH = tuple(f"{a}{b}" for a in ("港府", "立法會", "警方", "示威者", "市民", "機管局", "股市", "特首")
                     for b in ("回應反修例遊行", "發表聲明", "呼籲冷靜", "宣布新措施", "舉行記者會", "清場", "暫停審議"))

PROTEST_TAGS = ("#StandWithHongKong", "#FreeHongKong", "#反送中", "#HongKongProtests", "#香港",
                "#NoExtradition", "#5DemandsNot1Less", "#HongKong")
PROTEST_DOMAINS = ("lihkg.com", "hkpetition.org", "standwithhk.org", "telegra.ph", "docs.google.com")
PROTEST_BODY_EN = tuple(
    f"{a} {b}"
    for a in ("Tonight at Admiralty:", "Sunday march:", "Please share:", "Strike tomorrow:",
              "Stay safe everyone.", "Legal help for arrested:", "Airport sit-in:", "To the world:",
              "Our demands are simple.", "Medics needed:")
    for b in ("bring water and helmets", "we will not give up", "the world is watching",
              "withdraw the bill now", "independent inquiry into police violence", "be water",
              "meet at 2pm", "hotline is open 24/7", "thank you for standing with us", "no rioters, only tyranny")
)
PROTEST_BODY_ZH = tuple(f"{a}{b}" for a in ("今晚", "星期日", "明天", "大家", "手足", "香港人")
                        for b in ("金鐘見", "齊上街", "注意安全", "唔好放棄", "撤回修例", "be water", "加油", "罷工罷課"))
PROTEST_SLOGANS = ("Five demands, not one less!", "五大訴求 缺一不可", "光復香港 時代革命",
                   "Hong Kong add oil!", "香港人加油", "Stand with Hong Kong")

LOYAL_TAGS = ("#HongKong", "#香港", "#StopViolence", "#SupportHKPolice", "#撐警", "#止暴制亂")
LOYAL_BODY_EN = tuple(
    f"{a} {b}"
    for a in ("I really think", "As a Hong Konger,", "Honestly,", "My family in Shenzhen says", "Sad to see",
              "Let's be real:", "Watching the news,", "Peace please.")
    for b in ("the violence has to stop", "the police are doing a hard job", "the city needs order again",
              "the West doesn't understand", "business is suffering", "students are being misled",
              "we want stability", "the airport chaos hurts everyone", "this is not how you protest")
)
LOYAL_BODY_ZH = tuple(f"{a}{b}" for a in ("我覺得", "真心希望", "看了新聞", "作為香港人", "老實說", "家人說")
                      for b in ("暴力要停止", "警察辛苦了", "香港需要穩定", "學生被誤導了", "經濟受影響", "不要再亂了", "支持依法辦事"))

# The operation: few templates, each with a paraphrase, in Chinese and English.
OP_TEMPLATES_ZH = (
    ("暴徒破壞香港，市民忍無可忍", "這些破壞香港的暴徒，市民已經受夠了"),
    ("外國勢力插手香港事務，居心叵測", "有外國勢力在背後操縱香港亂局"),
    ("支持香港警察依法執法", "我們堅定支持香港警方嚴正執法"),
    ("香港是中國的香港，不容分裂", "誰也不能把香港從中國分裂出去"),
    ("所謂的和平示威其實是暴力衝擊", "他們口中的和平遊行根本就是暴力"),
    ("止暴制亂是香港當前最緊迫的任務", "現在香港最急需的就是止暴制亂"),
    ("蒙面暴徒襲擊無辜市民，天理難容", "無辜市民被蒙面暴徒圍毆，令人憤怒"),
    ("香港的繁榮穩定不容破壞", "不能讓少數人毀掉香港的繁榮"),
)
OP_TEMPLATES_EN = (
    ("Rioters are destroying Hong Kong. Enough is enough", "These rioters are wrecking Hong Kong and people are fed up"),
    ("Foreign forces are behind the chaos in Hong Kong", "The Hong Kong chaos is driven by foreign hands"),
    ("We support the Hong Kong police enforcing the law", "Full support to HK police upholding the rule of law"),
    ("Hong Kong is part of China. No separatism", "Nobody can split Hong Kong from China"),
    ("The so-called peaceful protests are violent riots", "Peaceful protest? These are violent riots"),
    ("Stop violence and restore order in Hong Kong", "Hong Kong needs the violence to end and order restored"),
)
OP_TAGS = ("#HongKong", "#香港", "#StopViolence", "#止暴制亂", "#HKpolice", "#香港警察")
OP_DOMAINS = ("hk-truthnews.com", "xianggang-shishi.net", "hkdaily-report.org", "asia-factcheck.info")
OP_VARIATION = ("", "", "!", "！", "!!", " 😡", " 👍", "。", " …", " 🇨🇳", " 💪", "?!")
AMP_REPLIES = ("说得好", "支持", "👍👍", "Support!", "太对了", "顶", "Well said", "支持香港警察", "暴徒可耻", "Agree!!")
PERSONA_NAMES = (
    ("香港政治新聞", "HKpoliticsnews", "香港時事新聞，即時報道，真實客觀", "zh"),
    ("HK Current Affairs", "hk_currentnews", "Hong Kong news: truth, facts and daily reports", "en"),
    ("香港時事評論", "hkshishi_news", "關注香港時事，新聞報道", "zh"),
    ("Asia Truth News", "asiatruthnews", "Independent news from Hong Kong and Asia", "en"),
)

# Earlier life of repurposed operator accounts: spam and marketing in other languages.
SPAM = {
    "en": ("Win a free iPhone! Click here", "Best deals on sneakers today only", "Follow back 100%",
           "Make money from home, DM me", "New followers every day, try now"),
    "es": ("Gana dinero desde casa", "Ofertas increíbles hoy", "Sígueme y te sigo", "Descuento del 50%"),
    "ru": ("Заработок в интернете без вложений", "Скидки на обувь", "Взаимная подписка", "Лучшие цены"),
    "pt": ("Ganhe seguidores agora", "Promoção imperdível", "Sigo de volta"),
    "id": ("Jual akun murah", "Promo hari ini", "Follow balik ya"),
}
SPAM_DOMAINS = ("bit.ly", "cheap-deals.shop", "followers4u.net", "promo-click.xyz")
OWNER_CHANGE = ("This account has a new owner", "账号已转让", "new management, stay tuned")

ORGANIC_DOMAINS = ("youtube.com", "instagram.com", "nytimes.com", "bbc.co.uk", "medium.com", "spotify.com",
                   "github.com", "reddit.com", "imgur.com", "twitch.tv")

CLIENTS = ("Twitter for iPhone", "Twitter for Android", "Twitter Web App", "Twitter Web Client",
           "TweetDeck", "Twitter for iPad", "Hootsuite Inc.")
CLIENT_WEIGHTS = (0.42, 0.33, 0.13, 0.04, 0.04, 0.03, 0.01)
OP_CLIENTS = ("Twitter Web Client", "Twitter Web App")
DEVICES = ("iPhone iOS 12", "Android 9", "Chrome 75 Windows 10", "Safari macOS 10.14", "Android 8",
           "Firefox 67 Windows 10", "iPad iOS 12")
DEVICE_WEIGHTS = (0.4, 0.25, 0.15, 0.08, 0.07, 0.03, 0.02)
OP_DEVICES = ("Chrome 74 Windows 7", "Chrome 75 Windows 10")

# Second platform (platform2/): authentic news pages whose names resemble the operation's
# personas (name, vanity, own domain, language). They must never be taken for the operation.
LOOKALIKE_PAGES = (
    ("HK Current Affairs Today", "hkcurrentaffairstoday", "hkcatoday.com", "en"),
    ("香港政治新闻网", "xianggangzhengzhi", "hkzhengzhi.cn", "zh"),
    ("Asia Truth Media", "asiatruthmedia", "asiatruthmedia.com", "en"),
    ("香港時事新聞台", "hkshishitv", "hkshishi.tv", "zh"),
    ("HK Politics Weekly", "hkpoliticsweekly", "hkpoliticsweekly.com", "en"),
)
# Operation pages' display names on platform2: the first page keeps the Twitter persona's
# moniker as its vanity name under a different display name (HKpoliticalnew in 2019).
OP_PAGE_NAMES = ("HK Political News", "HK Current Affairs", "香港時事評論", "Asia Truth News")

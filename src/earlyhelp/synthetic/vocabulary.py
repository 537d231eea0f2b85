"""Vocabulary for the deterministic synthetic-data generator (London Borough of Camden).

Plain data only: no Django, no randomness. The generator draws from these tuples
with a seeded :class:`random.Random`, so the same seed gives the same people.

Sources and intent
------------------
* Names are common given names and surnames only, never real people. They are
  grouped by heritage so that a household's members get coherent names, with
  group weights loosely following Camden's ethnic mix (2021 Census: about
  40% White British, a large "other White" population, Bangladeshi the largest
  Asian group, and sizeable Black African, Black Caribbean, Arab, Chinese and
  Mixed communities). The weights are rough and only shape the data.
* The names deliberately include things a search must cope with: apostrophes
  (O'Brien, D'Souza), hyphenated and double-barrelled surnames (Lloyd-Jones,
  Al-Hashimi), multi-word surnames and particles (da Silva, El Idrissi,
  De Luca), multi-word given names (Ka Yan), diacritics (Siobhán, Łukasz,
  Şahin, João), and variant spellings (Mohammed / Mohamed / Muhammad).
* Streets and estates are real Camden place names (not personal data), each
  with the postcode district it is in, so generated addresses are coherent.
* School names are Camden-style; their establishment numbers are synthetic.
"""

from __future__ import annotations

from typing import NamedTuple

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


class NameGroup(NamedTuple):
    """Names of one heritage: ``(heritage_key, female, male, surnames, weight)``."""

    heritage_key: str
    female_names: tuple[str, ...]
    male_names: tuple[str, ...]
    surnames: tuple[str, ...]
    weight: int


# Polish, Lithuanian, Bulgarian and similar surnames change form with sex
# (Kowalski / Kowalska); to keep households coherent without inflection logic
# only forms that do not change are used (Nowak, Popescu, Shevchenko, ...).
# fmt: off
NAME_GROUPS: tuple[NameGroup, ...] = (
    NameGroup(
        "white_british",
        (
            "Olivia", "Amelia", "Isla", "Emily", "Poppy", "Sophie", "Grace", "Lily",
            "Ella", "Charlotte", "Jessica", "Sarah", "Emma", "Rebecca", "Lauren",
            "Chloe", "Megan", "Jade", "Kerry", "Claire", "Joanne", "Lisa", "Michelle",
            "Samantha", "Stacey", "Gemma", "Louise", "Rosie", "Freya", "Zoë",
            "Mary-Jane", "Evie", "Phoebe", "Harriet", "Amy", "Danielle",
        ),
        (
            "Oliver", "George", "Harry", "Jack", "Charlie", "Alfie", "Freddie",
            "Thomas", "James", "William", "Ryan", "Liam", "Jamie", "Lewis", "Craig",
            "Darren", "Lee", "Paul", "Mark", "Stephen", "Gary", "Wayne", "Callum",
            "Archie", "Theo", "Reggie", "Stanley", "Harvey", "Connor", "Billy",
        ),
        (
            "Smith", "Jones", "Taylor", "Davies", "Evans", "Wilson", "Johnson",
            "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
            "Hughes", "Green", "Hall", "Wood", "Harris", "Martin", "Jackson", "Turner",
            "Hill", "Cooper", "Ward", "Morris", "Moore", "King", "Baker", "Harrison",
            "Parker", "Cook", "Bell", "Knight", "Carter", "Shaw", "Lloyd-Jones",
            "Baker-Smith", "Ashton-Clarke", "Cooper-Hall", "Taylor-Wood", "McDonald",
            "MacLeod", "Fox", "Lane",
        ),
        34,
    ),
    NameGroup(
        "irish",
        (
            "Siobhán", "Aoife", "Niamh", "Ciara", "Róisín", "Sinéad", "Orla",
            "Caoimhe", "Saoirse", "Áine", "Bridget", "Kathleen", "Maeve", "Clodagh",
        ),
        (
            "Seán", "Ciarán", "Declan", "Pádraig", "Conor", "Cian", "Oisín", "Eoin",
            "Darragh", "Niall", "Fionn", "Dermot", "Brendan", "Kieran", "Liam",
        ),
        (
            "O'Brien", "O'Connor", "O'Sullivan", "O'Neill", "O'Donnell", "Murphy",
            "Kelly", "Byrne", "Ryan", "Walsh", "McCarthy", "Doyle", "Gallagher",
            "Kennedy", "Lynch", "Quinn", "Brennan", "Fitzgerald", "Ó Briain",
        ),
        6,
    ),
    NameGroup(
        "bangladeshi",
        (
            "Fatema", "Nasrin", "Shirin", "Rahima", "Taslima", "Sumaiya", "Tahmina",
            "Ruksana", "Jannat", "Nusrat", "Farzana", "Shamima", "Sadia", "Anika",
            "Maisha", "Tasnim", "Salma", "Rumana",
        ),
        (
            "Abdul", "Mohammed", "Shahid", "Rahim", "Kamal", "Jamal", "Rashid",
            "Sohel", "Rayhan", "Ibrahim", "Ayaan", "Tanvir", "Mizanur", "Shafiqul",
            "Habib", "Arif", "Sabbir",
        ),
        (
            "Ahmed", "Begum", "Khatun", "Miah", "Uddin", "Rahman", "Hussain", "Islam",
            "Ali", "Khan", "Chowdhury", "Choudhury", "Hoque", "Alam", "Bibi", "Karim",
            "Hossain", "Sarker", "Talukdar", "Mahmud",
        ),
        8,
    ),
    NameGroup(
        "somali",
        (
            "Hodan", "Amina", "Fadumo", "Hawa", "Ifrah", "Sagal", "Nimco", "Ayan",
            "Sahra", "Hibaaq", "Khadra", "Ubah", "Asha", "Ilhan", "Deeqa", "Fardowsa",
        ),
        (
            "Abdi", "Abdirahman", "Mohamed", "Ahmed", "Hassan", "Yusuf", "Liban",
            "Guled", "Mahad", "Abdullahi", "Khalid", "Bashir", "Farah", "Omar",
            "Mustafe", "Ayanle",
        ),
        (
            "Abdi", "Ali", "Mohamed", "Farah", "Hassan", "Warsame", "Osman", "Jama",
            "Nur", "Egal", "Aden", "Yusuf", "Ismail", "Hersi", "Duale", "Abdullahi",
            "Hirsi", "Omar", "Elmi", "Gure",
        ),
        4,
    ),
    NameGroup(
        "turkish_kurdish",
        (
            "Ayşe", "Elif", "Zeynep", "Fatma", "Emine", "Hatice", "Meryem", "Derya",
            "Gülsen", "Berfin", "Rojda", "Dilan", "Sevgi", "Esra", "Büşra", "Nur",
        ),
        (
            "Mehmet", "Mustafa", "Ahmet", "Ali", "Hasan", "Hüseyin", "Emre", "Yusuf",
            "Baran", "Rojhat", "Serhat", "Kemal", "Murat", "Deniz", "Can", "Berkay",
        ),
        # The dotless i (U+0131) below is deliberate: Turkish spelling, and a search test case.
        (
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan",
            "Doğan", "Kılıç", "Aslan", "Polat", "Korkmaz", "Yıldız", "Tekin", "Güneş",
            "Bozkurt", "Ekinci",
        ),
        3,
    ),
    NameGroup(
        "polish",
        (
            "Anna", "Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Aleksandra",
            "Natalia", "Zofia", "Julia", "Maja", "Wiktoria", "Karolina", "Monika",
            "Ewa",
        ),
        (
            "Piotr", "Krzysztof", "Tomasz", "Paweł", "Łukasz", "Michał", "Jakub",
            "Kacper", "Mateusz", "Szymon", "Marcin", "Wojciech", "Antoni", "Filip",
        ),
        (
            "Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk",
            "Kaczmarek", "Pawlak", "Michalak", "Sikora", "Król", "Wieczorek", "Zając",
            "Kubiak", "Kowalczyk-Nowak", "Duda",
        ),
        4,
    ),
    NameGroup(
        "romanian_ukrainian",
        (
            "Ioana", "Elena", "Andreea", "Gabriela", "Daria", "Olena", "Iryna",
            "Oksana", "Alina", "Bianca", "Mihaela", "Kateryna", "Sofiia",
        ),
        (
            "Andrei", "Ionuț", "Florin", "Alexandru", "Dmytro", "Oleksandr", "Mykola",
            "Bogdan", "Mihai", "Vasile", "Taras", "Maksym", "Cristian",
        ),
        (
            "Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Constantin", "Munteanu",
            "Lungu", "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Melnyk",
            "Boyko", "Kovalchuk", "Savchuk",
        ),
        3,
    ),
    NameGroup(
        "nigerian",
        (
            "Adaeze", "Chiamaka", "Ngozi", "Funmilayo", "Folake", "Temitope", "Chioma",
            "Adaora", "Ifeoma", "Blessing", "Precious", "Favour", "Abimbola",
            "Yetunde", "Damilola", "Oluwaseun",
        ),
        (
            "Chinedu", "Emeka", "Oluwaseun", "Tunde", "Femi", "Ayodele", "Chukwuemeka",
            "Obinna", "Olumide", "Ikenna", "Segun", "Kelechi", "Daniel", "Samuel",
            "Tobenna",
        ),
        (
            "Okafor", "Adeyemi", "Okonkwo", "Adebayo", "Oladipo", "Nwosu", "Eze",
            "Obi", "Afolabi", "Ogunleye", "Balogun", "Okeke", "Chukwu", "Olatunji",
            "Adewale", "Nwachukwu", "Ibekwe", "Oyelaran",
        ),
        4,
    ),
    NameGroup(
        "ghanaian",
        (
            "Abena", "Akosua", "Ama", "Efua", "Adwoa", "Yaa", "Afua", "Akua", "Esi",
            "Naana", "Serwaa", "Gifty", "Comfort", "Priscilla",
        ),
        (
            "Kwame", "Kofi", "Kwabena", "Kwaku", "Yaw", "Kojo", "Kwasi", "Nana",
            "Ebo", "Fiifi", "Kweku", "Emmanuel", "Isaac",
        ),
        (
            "Mensah", "Asante", "Owusu", "Boateng", "Osei", "Agyeman", "Appiah",
            "Ofori", "Addo", "Amoah", "Acheampong", "Darko", "Antwi", "Quaye",
            "Ansah", "Frimpong", "Opoku", "Sarpong",
        ),
        2,
    ),
    NameGroup(
        "eritrean_ethiopian",
        (
            "Selam", "Senait", "Yordanos", "Rahel", "Mekdes", "Saba", "Tigist", "Hiwet",
            "Bethlehem", "Luwam", "Winta", "Feven", "Helen", "Ruth",
        ),
        (
            "Yonas", "Dawit", "Tesfaye", "Robel", "Henok", "Mebrahtu", "Filmon",
            "Biniam", "Merhawi", "Yohannes", "Aron", "Habtom", "Samuel", "Kidane",
        ),
        (
            "Tesfay", "Gebremedhin", "Haile", "Tekle", "Kidane", "Berhane",
            "Ghebreyesus", "Woldemariam", "Mehari", "Asmerom", "Tewolde", "Habte",
            "Negash", "Ghirmay", "Yohannes", "Araya",
        ),
        2,
    ),
    NameGroup(
        "arab",
        (
            "Fatima", "Mariam", "Nour", "Layla", "Yasmin", "Hana", "Aisha", "Salma",
            "Rania", "Zainab", "Huda", "Amira", "Lina", "Rawan", "Sara",
        ),
        (
            "Ahmed", "Mohammed", "Omar", "Youssef", "Khalid", "Karim", "Hamza",
            "Bilal", "Tariq", "Samir", "Mustafa", "Adam", "Zakaria", "Hassan", "Ali",
        ),
        (
            "Al-Hashimi", "El-Amin", "Haddad", "Mansour", "Saleh", "Aziz", "Nasser",
            "Khalil", "Hamdan", "Abdallah", "El Idrissi", "Benali", "Al-Rashid",
            "Farouk", "Qasim", "Sharif", "Darwish", "Al-Tamimi",
        ),
        3,
    ),
    NameGroup(
        "iranian_afghan",
        (
            "Maryam", "Shirin", "Parisa", "Nazanin", "Roya", "Leila", "Mahsa",
            "Negin", "Fereshteh", "Zahra", "Soraya", "Tahmina",
        ),
        (
            "Reza", "Amir", "Hossein", "Mehdi", "Arash", "Dariush", "Farhad",
            "Babak", "Ahmad", "Omid", "Kian", "Wahid",
        ),
        (
            "Hosseini", "Ahmadi", "Mohammadi", "Rezaei", "Karimi", "Rahimi",
            "Moradi", "Jafari", "Sadeghi", "Amiri", "Azizi", "Noori", "Popal",
            "Safi",
        ),
        1,
    ),
    NameGroup(
        "greek_cypriot",
        (
            "Maria", "Eleni", "Georgia", "Christina", "Katerina", "Sophia", "Despina",
            "Androulla", "Panayiota", "Stella", "Anastasia", "Ioanna", "Theodora",
        ),
        (
            "Andreas", "Georgios", "Costas", "Christos", "Panayiotis", "Nikos",
            "Michael", "Stelios", "Demetris", "Yiannis", "Savvas", "Kyriacos",
            "Marios", "Antonis",
        ),
        (
            "Georgiou", "Christodoulou", "Ioannou", "Constantinou", "Demetriou",
            "Nicolaou", "Charalambous", "Panayiotou", "Kyriacou", "Hadjipavlou",
            "Savva", "Andreou", "Stylianou", "Pavlou", "Theodorou", "Antoniou",
            "Loizou",
        ),
        2,
    ),
    NameGroup(
        "portuguese_brazilian",
        (
            "Ana", "Beatriz", "Mariana", "Inês", "Francisca", "Leonor", "Juliana",
            "Larissa", "Camila", "Fernanda", "Letícia", "Rafaela", "Bruna",
        ),
        (
            "João", "Pedro", "Tiago", "Rodrigo", "Gonçalo", "Diogo", "Lucas",
            "Gabriel", "Matheus", "Rafael", "Thiago", "Bruno", "Felipe", "Vinícius",
        ),
        (
            "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
            "Martins", "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Carvalho",
            "Almeida", "Ribeiro", "da Silva", "dos Santos",
        ),
        3,
    ),
    NameGroup(
        "southern_european",
        (
            "Giulia", "Francesca", "Chiara", "Sofia", "Lucía", "Carmen", "Paula",
            "Camille", "Léa", "Manon", "Alessia", "Elisa",
        ),
        (
            "Lorenzo", "Matteo", "Alessandro", "Giovanni", "Pablo", "Javier",
            "Alejandro", "Hugo", "Louis", "Théo", "Jean-Baptiste", "Marco",
        ),
        (
            "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
            "García", "Martínez", "López", "Sánchez", "Fernández", "Dubois",
            "Lefèvre", "Moreau", "Di Stefano", "De Luca", "Le Roux",
        ),
        4,
    ),
    NameGroup(
        "chinese",
        (
            "Mei", "Jing", "Yan", "Xin", "Hui", "Ling", "Ying", "Fang", "Xiaomei",
            "Yuxin", "Zihan", "Ka Yan", "Wing", "Hoi Yan",
        ),
        (
            "Wei", "Jun", "Hao", "Lei", "Jie", "Yang", "Ming", "Zhiwei", "Haoran",
            "Zihao", "Ka Ho", "Chun Kit", "Wing Hong", "Tsz Hin",
        ),
        (
            "Wang", "Li", "Zhang", "Liu", "Chen", "Huang", "Zhao", "Wu", "Zhou",
            "Chan", "Wong", "Cheung", "Lam", "Leung", "Lau", "Ng", "Ho", "Tang", "Lee",
        ),
        3,
    ),
    NameGroup(
        "indian",
        (
            "Priya", "Ananya", "Divya", "Kavya", "Pooja", "Neha", "Shreya", "Aditi",
            "Riya", "Meera", "Lakshmi", "Harpreet", "Simran", "Jaspreet", "Anjali",
        ),
        (
            "Arjun", "Rahul", "Rohan", "Vikram", "Aarav", "Vivaan", "Karan", "Amit",
            "Sanjay", "Rajesh", "Harjit", "Gurpreet", "Manpreet", "Ravi", "Suresh",
        ),
        (
            "Patel", "Shah", "Sharma", "Singh", "Kaur", "Gupta", "Mehta", "Joshi",
            "Desai", "Iyer", "Nair", "Reddy", "Pillai", "Kumar", "Gill", "Sandhu",
            "D'Souza", "D'Silva", "Mistry", "Chauhan",
        ),
        3,
    ),
    NameGroup(
        "pakistani",
        (
            "Ayesha", "Sana", "Mahnoor", "Hira", "Iqra", "Mehwish", "Zara", "Amna",
            "Rabia", "Khadija", "Noor", "Saima", "Bushra", "Samina",
        ),
        (
            "Muhammad", "Usman", "Bilal", "Hamza", "Imran", "Asif", "Zubair",
            "Faisal", "Adeel", "Saad", "Hassan", "Ahmad", "Zain", "Junaid",
        ),
        (
            "Khan", "Ahmed", "Hussain", "Malik", "Iqbal", "Butt", "Qureshi",
            "Akhtar", "Raja", "Shah", "Mirza", "Chaudhry", "Rashid", "Mahmood",
            "Javed", "Anwar", "Sheikh", "Bhatti",
        ),
        2,
    ),
    NameGroup(
        "caribbean",
        (
            "Shanice", "Kayla", "Jada", "Tanisha", "Keisha", "Aaliyah", "Monique",
            "Simone", "Jasmine", "Chantelle", "Destiny", "Tiana", "Marcia",
            "Paulette", "Beverley", "Nia",
        ),
        (
            "Marcus", "Tyrone", "Jermaine", "Dwayne", "Andre", "Devon", "Kyle",
            "Jaden", "Tyrese", "Leon", "Delroy", "Winston", "Clive", "Trevor", "Kai",
        ),
        (
            "Campbell", "Clarke", "Francis", "Grant", "Thomas", "Williams", "Brown",
            "Henry", "Reid", "Richards", "Lewis", "Gordon", "Bailey", "Forbes",
            "McKenzie", "Samuels", "Powell", "Dixon", "Bennett", "Gayle", "Morgan",
            "Campbell-Reid",
        ),
        4,
    ),
    NameGroup(
        "albanian_kosovan",
        (
            "Ardita", "Besa", "Blerta", "Drita", "Elira", "Flutura", "Jonida", "Klea",
            "Ledia", "Mirela", "Teuta", "Valbona", "Arta", "Erjona",
        ),
        (
            "Arben", "Besnik", "Dritan", "Edon", "Fatmir", "Gentian", "Ilir", "Kujtim",
            "Luan", "Agron", "Bekim", "Endrit", "Altin", "Erion",
        ),
        (
            "Hoxha", "Berisha", "Krasniqi", "Gashi", "Shehu", "Kola", "Leka",
            "Dervishi", "Bajrami", "Rama", "Hasani", "Morina", "Shala", "Kelmendi",
            "Hyseni", "Zeka", "Ahmeti", "Musliu",
        ),
        2,
    ),
    NameGroup(
        "jewish_british",
        (
            "Rachel", "Miriam", "Leah", "Naomi", "Hannah", "Esther", "Rivka",
            "Talia", "Abigail", "Tamar", "Ruth",
        ),
        (
            "David", "Jacob", "Benjamin", "Joshua", "Nathan", "Aaron", "Eli",
            "Reuben", "Gideon", "Ezra", "Daniel", "Samuel",
        ),
        (
            "Cohen", "Levy", "Goldberg", "Rosenberg", "Friedman", "Katz", "Shapiro",
            "Klein", "Green", "Harris", "Jacobs", "Rubin", "Marks", "Lewin",
        ),
        2,
    ),
)
# fmt: on


def _flatten(groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """Concatenate name tuples, keeping first occurrences in order (no duplicates)."""
    return tuple(dict.fromkeys(name for group in groups for name in group))


# Flat, de-duplicated views across all heritages (for pickers that ignore heritage).
FEMALE_FIRST_NAMES: tuple[str, ...] = _flatten(tuple(g.female_names for g in NAME_GROUPS))
MALE_FIRST_NAMES: tuple[str, ...] = _flatten(tuple(g.male_names for g in NAME_GROUPS))
SURNAMES: tuple[str, ...] = _flatten(tuple(g.surnames for g in NAME_GROUPS))

# Share of households whose members are drawn from two heritages (e.g. one
# parent's surname from one group, the other parent's first name from another).
MIXED_HERITAGE_HOUSEHOLD_RATE = 0.12

# ---------------------------------------------------------------------------
# Postcodes and addresses
# ---------------------------------------------------------------------------
# Postcode districts that cover Camden, with rough weights by residential
# population. Several districts are shared with neighbouring boroughs: NW6
# (Brent), NW8 (Westminster; Camden has the Alexandra Road / Boundary Road
# side), NW2 (Barnet/Brent; Camden has the Fortune Green edge), N6 (Haringey;
# Camden has Highgate West Hill / Holly Lodge), N7 and N19 (Islington), N1C
# (King's Cross Central, wholly Camden). Central London districts are
# subdivided (WC1 -> WC1A, WC1H, ...), so the real sub-district codes are used.
OUTWARD_CODES: tuple[tuple[str, int], ...] = (
    ("NW1", 22),
    ("NW5", 18),
    ("NW3", 14),
    ("NW6", 12),
    ("NW8", 3),
    ("NW2", 1),
    ("N6", 2),
    ("N7", 1),
    ("N19", 3),
    ("N1C", 1),
    ("WC1H", 6),
    ("WC1X", 4),
    ("WC1N", 4),
    ("WC1E", 1),
    ("WC1B", 1),
    ("WC1A", 1),
    ("WC1R", 1),
    ("WC1V", 1),
    ("WC2H", 2),
    ("WC2B", 2),
    ("WC2A", 1),
    ("EC1N", 2),
    ("EC1R", 1),
    ("W1T", 2),
)

# The two letters of an inward code (digit + two letters) never use C I K M O V.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Sector digits for the inward code; 0-9 are all used in London districts.
INWARD_DIGITS = "0123456789"

# Real Camden streets (names are not personal data) with their postcode
# district. A street spanning two districts is listed under the main one.
STREETS: tuple[tuple[str, str], ...] = (
    # Camden Town, Somers Town, Regent's Park, Primrose Hill (NW1)
    ("Camden High Street", "NW1"),
    ("Camden Road", "NW1"),
    ("Camden Street", "NW1"),
    ("Parkway", "NW1"),
    ("Delancey Street", "NW1"),
    ("Albert Street", "NW1"),
    ("Arlington Road", "NW1"),
    ("Inverness Street", "NW1"),
    ("Jamestown Road", "NW1"),
    ("Gloucester Avenue", "NW1"),
    ("Regent's Park Road", "NW1"),
    ("Chalcot Road", "NW1"),
    ("Royal College Street", "NW1"),
    ("Pratt Street", "NW1"),
    ("Plender Street", "NW1"),
    ("Bayham Street", "NW1"),
    ("Greenland Road", "NW1"),
    ("Georgiana Street", "NW1"),
    ("Crowndale Road", "NW1"),
    ("Eversholt Street", "NW1"),
    ("Chalton Street", "NW1"),
    ("Ossulston Street", "NW1"),
    ("Phoenix Road", "NW1"),
    ("Polygon Road", "NW1"),
    ("Churchway", "NW1"),
    ("Werrington Street", "NW1"),
    ("Charrington Street", "NW1"),
    ("Goldington Crescent", "NW1"),
    ("Agar Grove", "NW1"),
    ("St Pancras Way", "NW1"),
    ("Hampstead Road", "NW1"),
    ("Harrington Square", "NW1"),
    ("Mornington Crescent", "NW1"),
    ("Stanhope Street", "NW1"),
    ("Robert Street", "NW1"),
    ("Albany Street", "NW1"),
    ("Drummond Street", "NW1"),
    ("Cobourg Street", "NW1"),
    ("Hawley Road", "NW1"),
    ("Castlehaven Road", "NW1"),
    ("Chalk Farm Road", "NW1"),
    ("Ferdinand Street", "NW1"),
    ("Harmood Street", "NW1"),
    ("Hartland Road", "NW1"),
    ("Jeffrey's Street", "NW1"),
    ("Rochester Square", "NW1"),
    ("Wrotham Road", "NW1"),
    ("Kelly Street", "NW1"),
    ("Castle Road", "NW1"),
    # Kentish Town, Gospel Oak, Dartmouth Park (NW5)
    ("Kentish Town Road", "NW5"),
    ("Leighton Road", "NW5"),
    ("Highgate Road", "NW5"),
    ("Fortess Road", "NW5"),
    ("Lady Somerset Road", "NW5"),
    ("Chetwynd Road", "NW5"),
    ("Malden Road", "NW5"),
    ("Queen's Crescent", "NW5"),
    ("Prince of Wales Road", "NW5"),
    ("Grafton Road", "NW5"),
    ("Weedington Road", "NW5"),
    ("Lismore Circus", "NW5"),
    ("Gordon House Road", "NW5"),
    ("Lamble Street", "NW5"),
    ("Wellesley Road", "NW5"),
    ("Bartholomew Road", "NW5"),
    ("Caversham Road", "NW5"),
    ("Islip Street", "NW5"),
    ("Torriano Avenue", "NW5"),
    ("Leverton Street", "NW5"),
    ("Raveley Street", "NW5"),
    ("Burghley Road", "NW5"),
    ("Carker's Lane", "NW5"),
    ("Holmes Road", "NW5"),
    ("Allcroft Road", "NW5"),
    ("Athlone Street", "NW5"),
    ("Warden Road", "NW5"),
    ("Rhyl Street", "NW5"),
    ("Bassett Street", "NW5"),
    ("Ryland Road", "NW5"),
    ("Willes Road", "NW5"),
    ("Croftdown Road", "NW5"),
    ("York Rise", "NW5"),
    ("Spencer Rise", "NW5"),
    # Hampstead, Belsize, Swiss Cottage, Gospel Oak west (NW3)
    ("Finchley Road", "NW3"),
    ("Haverstock Hill", "NW3"),
    ("Belsize Park", "NW3"),
    ("England's Lane", "NW3"),
    ("Adelaide Road", "NW3"),
    ("Eton Avenue", "NW3"),
    ("Fellows Road", "NW3"),
    ("Primrose Hill Road", "NW3"),
    ("Hampstead High Street", "NW3"),
    ("Heath Street", "NW3"),
    ("Flask Walk", "NW3"),
    ("Fitzjohn's Avenue", "NW3"),
    ("Fleet Road", "NW3"),
    ("Mansfield Road", "NW3"),
    ("Agincourt Road", "NW3"),
    ("South End Road", "NW3"),
    ("Pond Street", "NW3"),
    ("Rosslyn Hill", "NW3"),
    ("Lithos Road", "NW3"),
    ("Maitland Park Road", "NW3"),
    # West Hampstead, Kilburn, South Hampstead (NW6)
    ("West End Lane", "NW6"),
    ("Kilburn High Road", "NW6"),
    ("Mill Lane", "NW6"),
    ("Fortune Green Road", "NW6"),
    ("Iverson Road", "NW6"),
    ("Sumatra Road", "NW6"),
    ("Broadhurst Gardens", "NW6"),
    ("Fairhazel Gardens", "NW6"),
    ("Goldhurst Terrace", "NW6"),
    ("Belsize Road", "NW6"),
    ("Quex Road", "NW6"),
    ("Kingsgate Road", "NW6"),
    ("Messina Avenue", "NW6"),
    ("Maygrove Road", "NW6"),
    ("Sherriff Road", "NW6"),
    ("Agamemnon Road", "NW6"),
    ("Gondar Gardens", "NW6"),
    ("Greville Road", "NW6"),
    ("Cotleigh Road", "NW6"),
    ("Mazenod Avenue", "NW6"),
    ("Priory Road", "NW6"),
    ("Abbey Road", "NW6"),
    # Alexandra Road side of St John's Wood (NW8)
    ("Rowley Way", "NW8"),
    ("Boundary Road", "NW8"),
    ("Loudoun Road", "NW8"),
    ("Langtry Road", "NW8"),
    ("Ainsworth Way", "NW8"),
    # Fortune Green edge (NW2)
    ("Hermitage Lane", "NW2"),
    # Highgate (N6, N19), Brecknock (N7), King's Cross Central (N1C)
    ("Highgate West Hill", "N6"),
    ("Swain's Lane", "N6"),
    ("Makepeace Avenue", "N6"),
    ("Hillway", "N6"),
    ("Chester Road", "N19"),
    ("Raydon Street", "N19"),
    ("Dartmouth Park Hill", "N19"),
    ("Cathcart Hill", "N19"),
    ("Brecknock Road", "N7"),
    ("Handyside Street", "N1C"),
    ("Canal Reach", "N1C"),
    # King's Cross, Bloomsbury, St Pancras (WC1)
    ("Gray's Inn Road", "WC1X"),
    ("King's Cross Road", "WC1X"),
    ("Swinton Street", "WC1X"),
    ("Acton Street", "WC1X"),
    ("Frederick Street", "WC1X"),
    ("Ampton Street", "WC1X"),
    ("Calthorpe Street", "WC1X"),
    ("Wharton Street", "WC1X"),
    ("Theobald's Road", "WC1X"),
    ("Judd Street", "WC1H"),
    ("Cromer Street", "WC1H"),
    ("Argyle Street", "WC1H"),
    ("Tonbridge Street", "WC1H"),
    ("Regent Square", "WC1H"),
    ("Sidmouth Street", "WC1H"),
    ("Harrison Street", "WC1H"),
    ("Leigh Street", "WC1H"),
    ("Tavistock Place", "WC1H"),
    ("Woburn Place", "WC1H"),
    ("Lamb's Conduit Street", "WC1N"),
    ("Great Ormond Street", "WC1N"),
    ("Guilford Street", "WC1N"),
    ("Marchmont Street", "WC1N"),
    ("Hunter Street", "WC1N"),
    ("Bernard Street", "WC1N"),
    ("Mecklenburgh Square", "WC1N"),
    ("Red Lion Street", "WC1R"),
    ("Great Russell Street", "WC1B"),
    ("Bedford Square", "WC1B"),
    ("Store Street", "WC1E"),
    ("Gower Street", "WC1E"),
    ("Torrington Place", "WC1E"),
    ("Museum Street", "WC1A"),
    ("New Oxford Street", "WC1A"),
    ("High Holborn", "WC1V"),
    # Holborn, Covent Garden (north), Seven Dials (WC2)
    ("Drury Lane", "WC2B"),
    ("Kingsway", "WC2B"),
    ("Macklin Street", "WC2B"),
    ("Shorts Gardens", "WC2H"),
    ("Earlham Street", "WC2H"),
    ("Neal Street", "WC2H"),
    ("Endell Street", "WC2H"),
    ("Shaftesbury Avenue", "WC2H"),
    ("Lincoln's Inn Fields", "WC2A"),
    # Hatton Garden, Leather Lane, Mount Pleasant (EC1)
    ("Leather Lane", "EC1N"),
    ("Hatton Garden", "EC1N"),
    ("Portpool Lane", "EC1N"),
    ("Baldwin's Gardens", "EC1N"),
    ("Warner Street", "EC1R"),
    ("Eyre Street Hill", "EC1R"),
    # Fitzrovia east of Cleveland Street (W1T)
    ("Tottenham Court Road", "W1T"),
    ("Warren Street", "W1T"),
    ("Grafton Way", "W1T"),
    ("Whitfield Street", "W1T"),
    ("Fitzroy Street", "W1T"),
)

STREET_NAMES: tuple[str, ...] = tuple(name for name, _ in STREETS)

# Camden housing estates (real names) with their postcode district. Flats are
# addressed "Flat 12, <block>, <estate>" or "Flat 12, <block>, <street>".
ESTATES: tuple[tuple[str, str], ...] = (
    ("Ossulston Estate", "NW1"),
    ("Godwin and Crowndale Estate", "NW1"),
    ("Maiden Lane Estate", "NW1"),
    ("Agar Grove Estate", "NW1"),
    ("Regent's Park Estate", "NW1"),
    ("Ampthill Square Estate", "NW1"),
    ("Curnock Street Estate", "NW1"),
    ("Bacton Low Rise", "NW5"),
    ("Wendling Estate", "NW5"),
    ("Kiln Place", "NW5"),
    ("Peckwater Estate", "NW5"),
    ("Ingestre Road Estate", "NW5"),
    ("Denton Estate", "NW5"),
    ("Chalcots Estate", "NW3"),
    ("Maitland Park Estate", "NW3"),
    ("Dunboyne Road Estate", "NW3"),
    ("Abbey Road Estate", "NW6"),
    ("Webheath Estate", "NW6"),
    ("Alexandra and Ainsworth Estate", "NW8"),
    ("Whittington Estate", "N19"),
    ("Highgate New Town", "N19"),
    ("Holly Lodge Estate", "N6"),
    ("Brunswick Centre", "WC1N"),
    ("Tybalds Estate", "WC1N"),
    ("Bourne Estate", "EC1N"),
)

# Block names for flats: typical London council-block naming after people,
# places and trees. Synthetic combinations; not tied to a particular estate.
# fmt: off
BLOCK_NAMES: tuple[str, ...] = (
    "Walker House", "Levita House", "Chamberlain House", "Wallace House",
    "Godwin Court", "Crowndale Court", "Oakshott Court", "Goldington Court",
    "Burnham", "Bray", "Dorney", "Taplow", "Blashford", "Bacton", "Wendling",
    "Aspen House", "Beech House", "Cedar House", "Elm Court", "Hazel Court",
    "Holly Court", "Juniper House", "Larch House", "Maple House", "Rowan Court",
    "Willow House", "Alder Court", "Rochester House", "Hastings House",
    "Thanet House", "Sandwich House", "Tonbridge House", "Winchelsea House",
    "Ramsgate House", "Margate House", "Dover House", "Folkestone House",
    "Fraser House", "Gilbey Court", "Penrose House", "Cumberland House",
    "Stanmore House", "Kiln Court", "Tasman House", "Casterbridge",
    "Snowman House", "Emminster", "Hinstock", "Bridge House", "Canal Side House",
)
# fmt: on

# ---------------------------------------------------------------------------
# Households
# ---------------------------------------------------------------------------


class HouseholdShape(NamedTuple):
    """A household pattern: ``(shape_key, weight, description)``."""

    shape_key: str
    weight: int
    description: str


HOUSEHOLD_SHAPES: tuple[HouseholdShape, ...] = (
    HouseholdShape(
        "single_parent",
        30,
        "One resident parent (usually the mother) with 1-4 children; the other "
        "parent often lives elsewhere.",
    ),
    HouseholdShape(
        "two_parents",
        24,
        "Two resident parents with 1-5 children, all full siblings.",
    ),
    HouseholdShape(
        "blended_family",
        10,
        "A parent, their partner (step-parent to the older children) and children "
        "who are siblings and half-siblings.",
    ),
    HouseholdShape(
        "grandparent_carer",
        5,
        "One or two grandparents caring for 1-3 grandchildren; the parents live "
        "elsewhere or are not involved.",
    ),
    HouseholdShape(
        "kinship_carer",
        4,
        "An aunt or uncle (sometimes with a partner and their own children) "
        "caring for 1-3 nieces or nephews.",
    ),
    HouseholdShape(
        "young_parent",
        6,
        "A parent aged 16-19 with a baby under two, sometimes with the baby's other parent.",
    ),
    HouseholdShape(
        "multigenerational",
        12,
        "Parents and 1-4 children living with at least one grandparent.",
    ),
    HouseholdShape(
        "young_person_independent",
        4,
        "A young person aged 16-18 living alone or with a partner.",
    ),
    HouseholdShape(
        "care_leaver",
        5,
        "A care leaver aged 18-21 in their own tenancy, sometimes with a baby.",
    ),
)

# Size ranges the generator uses for each shape:
# (shape_key, min_adults, max_adults, min_children, max_children).
# "Adults" includes a 16-19-year-old parent or independent young person.
HOUSEHOLD_SHAPE_SIZES: tuple[tuple[str, int, int, int, int], ...] = (
    ("single_parent", 1, 1, 1, 4),
    ("two_parents", 2, 2, 1, 5),
    ("blended_family", 2, 2, 2, 5),
    ("grandparent_carer", 1, 2, 1, 3),
    ("kinship_carer", 1, 2, 1, 4),
    ("young_parent", 1, 2, 1, 1),
    ("multigenerational", 3, 4, 1, 4),
    ("young_person_independent", 1, 2, 0, 0),
    ("care_leaver", 1, 1, 0, 1),
)

# ---------------------------------------------------------------------------
# Relationships
# ---------------------------------------------------------------------------
# How a person relates to the child or young person at the centre of a case.
RELATIONSHIP_TYPES: tuple[str, ...] = (
    "parent",
    "step_parent",
    "sibling",
    "half_sibling",
    "carer",
    "grandparent",
    "aunt_uncle",
    "other",
)

RELATIONSHIP_LABELS: tuple[tuple[str, str], ...] = (
    ("parent", "Parent"),
    ("step_parent", "Step-parent"),
    ("sibling", "Sibling"),
    ("half_sibling", "Half-sibling"),
    ("carer", "Carer"),
    ("grandparent", "Grandparent"),
    ("aunt_uncle", "Aunt or uncle"),
    ("other", "Other"),
)

# Relatives who matter to a case but do not live in the household:
# (key, relationship_type, weight, description).
NON_RESIDENT_RELATIVES: tuple[tuple[str, str, int, str], ...] = (
    ("non_resident_father", "parent", 40, "Father living elsewhere, with or without contact."),
    ("non_resident_mother", "parent", 6, "Mother living elsewhere."),
    ("grandparent_elsewhere", "grandparent", 25, "Grandparent living elsewhere, often in London."),
    ("aunt_uncle_elsewhere", "aunt_uncle", 12, "Aunt or uncle providing support from elsewhere."),
    ("adult_sibling_elsewhere", "sibling", 10, "Adult sibling who has moved out."),
    ("half_sibling_elsewhere", "half_sibling", 7, "Half-sibling living with their other parent."),
)

# ---------------------------------------------------------------------------
# Schools
# ---------------------------------------------------------------------------
# (name, establishment_number, phase). Camden-style school names; the four-digit
# DfE establishment numbers are SYNTHETIC (not the schools' real numbers) but
# follow the DfE convention of 2xxx/3xxx for primary and 4xxx/5xxx for
# secondary. Combined with LA code 202 they form UPN characters 2-8.
SCHOOLS: tuple[tuple[str, str, str], ...] = (
    ("Argyle Primary School", "2011", "primary"),
    ("Beckford Primary School", "2013", "primary"),
    ("Brecknock Primary School", "2016", "primary"),
    ("Brookfield Primary School", "2018", "primary"),
    ("Carlton Primary School", "2021", "primary"),
    ("Edith Neville Primary School", "2024", "primary"),
    ("Eleanor Palmer Primary School", "2027", "primary"),
    ("Fitzjohn's Primary School", "2029", "primary"),
    ("Fleet Primary School", "2032", "primary"),
    ("Gospel Oak Primary School", "2035", "primary"),
    ("Kingsgate Primary School", "2038", "primary"),
    ("Netley Primary School", "2041", "primary"),
    ("Primrose Hill Primary School", "2044", "primary"),
    ("Rhyl Primary School", "2047", "primary"),
    ("Richard Cobden Primary School", "2050", "primary"),
    ("Torriano Primary School", "2053", "primary"),
    ("Christopher Hatton Primary School", "2056", "primary"),
    ("Hawley Primary School", "2059", "primary"),
    ("Somers Town Community Primary School", "2062", "primary"),
    ("Malden Road Primary School", "2065", "primary"),
    ("Holy Trinity and St Silas CofE Primary School", "3302", "primary"),
    ("Kentish Town CofE Primary School", "3305", "primary"),
    ("St Michael's CofE Primary School", "3308", "primary"),
    ("St Mary and St Pancras CofE Primary School", "3311", "primary"),
    ("Emmanuel CofE Primary School", "3314", "primary"),
    ("Hampstead Parochial CofE Primary School", "3317", "primary"),
    ("St Dominic's Catholic Primary School", "3502", "primary"),
    ("St Patrick's Catholic Primary School", "3505", "primary"),
    ("St Joseph's Catholic Primary School", "3508", "primary"),
    ("St Eugene de Mazenod RC Primary School", "3511", "primary"),
    ("Our Lady's Catholic Primary School", "3514", "primary"),
    ("Acland Burghley School", "4104", "secondary"),
    ("Camden School for Girls", "4108", "secondary"),
    ("Hampstead School", "4112", "secondary"),
    ("Haverstock School", "4116", "secondary"),
    ("Parliament Hill School", "4120", "secondary"),
    ("Regent High School", "4124", "secondary"),
    ("William Ellis School", "4128", "secondary"),
    ("La Sainte Union Catholic School", "4604", "secondary"),
    ("Maria Fidelis Catholic School", "4608", "secondary"),
    ("UCL Academy", "5404", "secondary"),
)
